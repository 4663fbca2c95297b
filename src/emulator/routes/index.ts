/** Every emulated endpoint, admin API first. Each domain file exports its own list. */
import { setRouteRegistry, type Route } from '../router.js';
import { routes as admin } from './admin.js';
import { routes as bookmarks } from './bookmarks.js';
import { routes as chats } from './chats.js';
import { routes as contacts } from './contacts.js';
import { routes as feed } from './feed.js';
import { routes as media } from './media.js';
import { routes as members } from './members.js';
import { routes as messages } from './messages.js';
import { routes as oauth } from './oauth.js';
import { routes as pins } from './pins.js';
import { routes as reactions } from './reactions.js';
import { routes as search } from './search.js';
import { routes as tenant } from './tenant-token.js';
import { routes as ui } from './ui.js';

export function allRoutes(): Route[] {
  // more specific paths (…/messages/search, …/messages/mget) come before …/messages/:message_id;
  // the web page and its reads (ui.ts) sit with the admin API, before the platform
  const list = [...admin, ...ui, ...tenant, ...oauth, ...search, ...media, ...reactions, ...messages, ...chats, ...members, ...pins, ...bookmarks, ...feed, ...contacts];
  setRouteRegistry(list);
  return list;
}
