/*
 * The emulator's web page: chats and messages as a person reads them, the request journal, and
 * the controls (reset, clock, faults). Plain browser JavaScript, shipped as-is in the package.
 *
 * Every string from the server reaches the page through textContent, createElement or an
 * attribute of a created element (never innerHTML), and links and image sources are checked, so
 * a message that says <script> shows as text.
 */
'use strict';

(function () {
  // ---- small DOM helpers ----

  /** Makes an element: h('div', {className: 'x', onclick: fn, title: '…'}, 'text', child, [more]). */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'className') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'href') el.setAttribute('href', safeUrl(v));
        else if (k === 'src') el.setAttribute('src', safeSrc(v));
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach((x) => append(el, x));
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  const $ = (id) => document.getElementById(id);

  /** Links open only http(s) and mailto; anything else (javascript:, data:) becomes inert. */
  function safeUrl(u) {
    try {
      const url = new URL(String(u), location.href);
      return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : '#';
    } catch (_e) {
      return '#';
    }
  }

  /** Images come from this emulator only. */
  function safeSrc(u) {
    try {
      const url = new URL(String(u), location.href);
      return url.origin === location.origin ? url.href : '';
    } catch (_e) {
      return '';
    }
  }

  function resourceUrl(key) {
    return '/_emulator/resources/' + encodeURIComponent(key);
  }

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    let json;
    try {
      json = await res.json();
    } catch (_e) {
      throw new Error('HTTP ' + res.status + ' (not JSON)');
    }
    if (json.code !== 0) {
      const err = new Error((json.code !== undefined ? json.code + ' ' : '') + (json.msg || 'request failed'));
      err.body = json;
      throw err;
    }
    return json.data;
  }

  let toastTimer;
  function toast(text, kind) {
    const t = $('toast');
    t.textContent = text;
    t.dataset.kind = kind || 'info';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (t.hidden = true), 3500);
  }

  // ---- formatting ----

  function pad(n, w) {
    return String(n).padStart(w || 2, '0');
  }

  function timeOf(ms) {
    const d = new Date(Number(ms));
    return isNaN(d) ? '' : pad(d.getHours()) + ':' + pad(d.getMinutes());
  }

  function dayOf(ms) {
    const d = new Date(Number(ms));
    if (isNaN(d)) return '';
    return d.toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
  }

  function fullTime(ms) {
    const d = new Date(Number(ms));
    return isNaN(d) ? '' : d.toLocaleString();
  }

  function size(n) {
    if (typeof n !== 'number') return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  function hue(id) {
    let x = 0;
    for (const ch of String(id)) x = (x * 31 + ch.charCodeAt(0)) >>> 0;
    return x % 360;
  }

  function initials(name) {
    const parts = String(name || '?').trim().split(/\s+/);
    return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
  }

  function avatar(p, small) {
    const a = h('span', { className: 'avatar' + (small ? ' small' : '') + (p.kind === 'bot' ? ' bot' : ''), title: p.name, 'aria-hidden': 'true' }, initials(p.name));
    if (p.kind !== 'bot') a.style.background = 'hsl(' + hue(p.id) + ' 55% 52%)';
    return a;
  }

  const EMOJI = {
    THUMBSUP: '👍', THUMBSDOWN: '👎', OK: '👌', DONE: '✅', SMILE: '😄', LAUGH: '😆', HEART: '❤️', CLAP: '👏', FIRE: '🔥', MUSCLE: '💪',
    APPLAUSE: '👏', PARTY: '🎉', JIAYI: '+1', WOW: '😮', CRY: '😢', ANGRY: '😠', THINKING: '🤔', EYES: '👀', ROCKET: '🚀', PRAY: '🙏',
    LOVE: '😍', WINK: '😉', SMIRK: '😏', BLUSH: '😊', SURPRISED: '😯', FACEPALM: '🤦', YEAH: '🙌', GIFT: '🎁', BEER: '🍺', COFFEE: '☕',
    CHECK: '✔️', CROSS: '❌', QUESTION: '❓', HUNDRED: '💯', SOB: '😭', SWEAT: '😓', TONGUE: '😛', SLEEP: '😴', SHAKE: '🤝', GET: '👌',
  };

  // ---- state ----

  const S = {
    view: 'chats',
    chats: [],
    users: [],
    bots: [],
    loginAs: null,
    chatId: null,
    chat: null,
    messages: [],
    openThreads: new Set(),
    /** chat_id -> last seq seen, for the activity dots. */
    seen: {},
    /** Where the composer posts: null (the chat) or a thread's root message. */
    target: null,
    asByChat: {},
    journal: [],
    journalSeqs: new Set(),
    openRows: new Set(),
    live: false,
  };

  // ---- chats ----

  const MODE_LABEL = { group: 'Group', topic: 'Topic', p2p: 'Direct' };

  async function loadChats() {
    const d = await api('GET', '/_emulator/chats');
    S.chats = d.items;
    renderChatList();
  }

  async function loadDirectory() {
    const d = await api('GET', '/_emulator/users');
    S.users = d.users;
    S.bots = d.bots;
    S.loginAs = d.login_as;
  }

  function renderChatList() {
    const ul = clear($('chat-list'));
    if (!S.chats.length) ul.appendChild(h('li', { className: 'muted pad' }, 'No chats in this workspace.'));
    for (const c of S.chats) {
      if (S.seen[c.chat_id] === undefined) S.seen[c.chat_id] = c.last_seq;
      const unread = c.chat_id !== S.chatId && c.last_seq > S.seen[c.chat_id];
      const people = c.members.length + ' ' + (c.members.length === 1 ? 'member' : 'members') + (c.bots.length ? ' · ' + c.bots.map((b) => b.name).join(', ') : '');
      const li = h(
        'li',
        { className: 'chat-item' + (c.chat_id === S.chatId ? ' active' : ''), dataset: { chatId: c.chat_id }, onclick: () => (location.hash = '#/chats/' + encodeURIComponent(c.chat_id)) },
        h('span', { className: 'chat-icon mode-' + c.chat_mode, 'aria-hidden': 'true' }, c.chat_mode === 'p2p' ? '@' : c.chat_mode === 'topic' ? '≡' : '#'),
        h('span', { className: 'chat-main' },
          h('span', { className: 'chat-title' }, h('span', { className: 'chat-name' }, c.title), h('span', { className: 'badge mode-' + c.chat_mode }, MODE_LABEL[c.chat_mode] || c.chat_mode)),
          h('span', { className: 'chat-sub' }, people)),
        unread ? h('span', { className: 'dot', title: 'New activity' }) : null,
      );
      ul.appendChild(li);
    }
  }

  async function selectChat(chatId) {
    if (S.chatId !== chatId) {
      S.chatId = chatId;
      S.openThreads = new Set();
      S.target = null;
    }
    await loadMessages(true);
    renderChatList();
  }

  let loadSeq = 0;
  async function loadMessages(scrollToEnd) {
    if (!S.chatId) return;
    const mine = ++loadSeq;
    let d;
    try {
      d = await api('GET', '/_emulator/chats/' + encodeURIComponent(S.chatId) + '/messages');
    } catch (e) {
      if (mine !== loadSeq) return;
      S.chat = null;
      S.messages = [];
      renderConversation();
      $('no-chat').textContent = 'This chat is gone (' + e.message + ').';
      return;
    }
    if (mine !== loadSeq) return;
    const box = $('messages');
    const nearEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    S.chat = d.chat;
    S.messages = d.items;
    S.seen[S.chatId] = d.chat.last_seq;
    renderConversation();
    if (scrollToEnd || nearEnd) box.scrollTop = box.scrollHeight;
  }

  function renderConversation() {
    const c = S.chat;
    $('no-chat').hidden = !!c;
    $('chat-head').hidden = !c;
    $('composer').hidden = !c;
    const list = clear($('messages'));
    const pins = clear($('pins'));
    pins.hidden = true;
    if (!c) return;

    const head = clear($('chat-head'));
    head.appendChild(
      h('div', { className: 'chat-head-main' },
        h('h1', { className: 'chat-head-title' }, c.title, ' ', h('span', { className: 'badge mode-' + c.chat_mode }, MODE_LABEL[c.chat_mode] || c.chat_mode)),
        c.description ? h('div', { className: 'chat-desc' }, c.description) : null,
        h('div', { className: 'chat-id muted' }, c.chat_id, ' · ', c.message_count + ' messages')),
    );
    const people = h('div', { className: 'people' });
    for (const m of c.members) people.appendChild(h('span', { className: 'person', title: m.id + (m.id === c.owner.id ? ' (owner)' : '') }, avatar(m, true), m.name, m.id === c.owner.id ? h('span', { className: 'role' }, 'owner') : c.managers.some((x) => x.id === m.id) ? h('span', { className: 'role' }, 'manager') : null));
    for (const b of c.bots) people.appendChild(h('span', { className: 'person bot', title: b.id }, avatar(b, true), b.name, h('span', { className: 'role' }, 'bot')));
    head.appendChild(people);

    const pinned = S.messages.filter((m) => m.pin);
    if (pinned.length) {
      pins.hidden = false;
      pins.appendChild(h('span', { className: 'pins-label' }, 'Pinned'));
      for (const m of pinned) pins.appendChild(h('button', { type: 'button', className: 'pin-link', onclick: () => jumpTo(m.message_id), title: 'Pinned by ' + m.pin.operator }, m.sender.name + ': ' + excerpt(m)));
    }

    const byId = new Map(S.messages.map((m) => [m.message_id, m]));
    const replies = new Map();
    const top = [];
    for (const m of S.messages) {
      if (m.thread_id && m.root_id && byId.has(m.root_id)) {
        if (!replies.has(m.root_id)) replies.set(m.root_id, []);
        replies.get(m.root_id).push(m);
      } else top.push(m);
    }
    if (!top.length) list.appendChild(h('div', { className: 'empty-state' }, 'No messages yet. Say something below, or send one with the CLI.'));
    let lastDay = '';
    for (const m of top) {
      const day = dayOf(m.create_time);
      if (day !== lastDay) {
        list.appendChild(h('div', { className: 'day' }, h('span', null, day)));
        lastDay = day;
      }
      const el = messageEl(m, byId);
      const kids = replies.get(m.message_id);
      if (m.thread_id) el.querySelector('.msg-body').appendChild(threadEl(m, kids || [], byId));
      list.appendChild(el);
    }
    renderComposer();
  }

  function excerpt(m) {
    if (m.deleted) return 'This message was recalled';
    const c = parse(m.content);
    let s = '';
    if (m.msg_type === 'text') s = mentionText(String((c && c.text) || ''), m.mentions);
    else if (m.msg_type === 'post') {
      const p = postBody(c);
      s = p ? p.title || (p.content || []).flat().map((e) => e.text || '').join('') : '';
    } else if (m.msg_type === 'image') s = '[Image]';
    else if (m.msg_type === 'file') s = '[File] ' + ((c && c.file_name) || '');
    else if (m.msg_type === 'interactive') s = '[Card] ' + (cardTitle(c) || '');
    else if (m.msg_type === 'merge_forward') s = '[Forwarded messages]';
    else s = '[' + m.msg_type + ']';
    return s.length > 60 ? s.slice(0, 60) + '…' : s;
  }

  function mentionText(text, mentions) {
    return text.replace(/@_user_\d+/g, (k) => {
      const m = (mentions || []).find((x) => x.key === k);
      return m ? '@' + m.name : k;
    }).replace(/@_all/g, '@all');
  }

  function jumpTo(id) {
    const el = document.querySelector('[data-message-id="' + CSS.escape(id) + '"]');
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.classList.add('flash');
    setTimeout(() => el.classList.remove('flash'), 1200);
  }

  function parse(s) {
    if (typeof s !== 'string') return null;
    try {
      return JSON.parse(s);
    } catch (_e) {
      return null;
    }
  }

  function messageEl(m, byId, nested) {
    const el = h('article', { className: 'msg' + (m.sender.kind === 'bot' ? ' from-bot' : '') + (nested ? ' nested' : ''), dataset: { messageId: m.message_id, msgType: m.msg_type } });
    el.appendChild(avatar(m.sender));
    const body = h('div', { className: 'msg-body' });
    body.appendChild(
      h('div', { className: 'msg-meta' },
        h('span', { className: 'sender' }, m.sender.name),
        m.sender.kind === 'bot' ? h('span', { className: 'tag bot' }, 'bot') : null,
        h('time', { className: 'time', title: fullTime(m.create_time) + ' · ' + m.message_id }, timeOf(m.create_time)),
        m.updated && !m.deleted ? h('span', { className: 'tag edited', title: 'Edited ' + fullTime(m.update_time) }, 'edited') : null,
        m.pin ? h('span', { className: 'tag pinned', title: 'Pinned by ' + m.pin.operator }, 'pinned') : null,
        m.bookmarks && m.bookmarks.length ? h('span', { className: 'tag bookmarked', title: 'Bookmarked by ' + m.bookmarks.map((b) => b.owner).join(', ') }, 'bookmarked by ' + m.bookmarks.map((b) => b.owner).join(', ')) : null,
      ),
    );
    if (m.parent_id && !m.thread_id) {
      const p = byId.get(m.parent_id);
      body.appendChild(h('div', { className: 'quote', onclick: () => jumpTo(m.parent_id) }, p ? p.sender.name + ': ' + excerpt(p) : 'Reply to a message'));
    }
    body.appendChild(h('div', { className: 'content type-' + m.msg_type }, renderContent(m, byId)));
    if (m.reactions && m.reactions.length) {
      body.appendChild(h('div', { className: 'reactions' }, m.reactions.map((r) => h('span', { className: 'reaction', title: r.emoji_type + ': ' + r.operators.join(', '), dataset: { emoji: r.emoji_type } }, h('span', { className: 'emoji' }, EMOJI[r.emoji_type] || r.emoji_type), h('span', { className: 'n' }, String(r.count))))));
    }
    el.appendChild(body);
    return el;
  }

  function threadEl(root, kids, byId) {
    const open = S.openThreads.has(root.message_id);
    const wrap = h('div', { className: 'thread' + (open ? ' open' : ''), dataset: { threadId: root.thread_id } });
    const n = kids.length;
    const names = [...new Set(kids.map((k) => k.sender.name))].join(', ');
    wrap.appendChild(
      h('button', { type: 'button', className: 'thread-toggle', 'aria-expanded': open ? 'true' : 'false', onclick: () => toggleThread(root.message_id) },
        open ? '▾ ' : '▸ ', n === 0 ? 'Thread (no replies yet)' : n + (n === 1 ? ' reply' : ' replies'), n ? h('span', { className: 'muted' }, ' · ' + names) : null),
    );
    if (open) {
      const inner = h('div', { className: 'thread-replies' });
      for (const k of kids) inner.appendChild(messageEl(k, byId, true));
      inner.appendChild(h('button', { type: 'button', className: 'link thread-reply', onclick: () => setTarget(root) }, '↩ Reply in thread'));
      wrap.appendChild(inner);
    }
    return wrap;
  }

  function toggleThread(id) {
    if (S.openThreads.has(id)) S.openThreads.delete(id);
    else S.openThreads.add(id);
    renderConversation();
  }

  // ---- content ----

  function renderContent(m, byId) {
    if (m.deleted) return h('span', { className: 'recalled' }, 'This message was recalled');
    const c = parse(m.content);
    switch (m.msg_type) {
      case 'text':
        return textNodes(String((c && c.text) || ''), m.mentions);
      case 'post':
        return postEl(c, m);
      case 'image':
        return imageEl(c && c.image_key, m.resources);
      case 'file':
        return fileEl(c && c.file_key, (c && c.file_name) || '', m.resources, 'FILE');
      case 'audio':
        return fileEl(c && c.file_key, 'Voice message' + (c && c.duration ? ' (' + Math.round(c.duration / 1000) + ' s)' : ''), m.resources, 'AUDIO');
      case 'media':
        return h('div', { className: 'media' }, c && c.image_key ? imageEl(c.image_key, m.resources) : null, fileEl(c && c.file_key, (c && c.file_name) || 'Video', m.resources, 'VIDEO'));
      case 'sticker':
        return h('span', { className: 'muted' }, '[Sticker]');
      case 'interactive':
        return cardEl(c);
      case 'share_chat': {
        const chat = S.chats.find((x) => x.chat_id === (c && c.chat_id));
        return h('div', { className: 'share' }, 'Shared a chat: ', h('strong', null, chat ? chat.title : String((c && c.chat_id) || '')));
      }
      case 'share_user': {
        const u = S.users.find((x) => x.open_id === (c && c.user_id));
        return h('div', { className: 'share' }, 'Shared a contact: ', h('strong', null, u ? u.name : String((c && c.user_id) || '')));
      }
      case 'system':
        return h('span', { className: 'system' }, systemText(c));
      case 'merge_forward':
        return forwardEl(m, byId);
      default:
        return h('pre', { className: 'json' }, c ? JSON.stringify(c, null, 2) : String(m.content));
    }
  }

  /** Text with @mentions by name and links made clickable. */
  function textNodes(text, mentions) {
    const frag = h('span', { className: 'text' });
    const re = /(@_user_\d+|@_all|https?:\/\/[^\s<>"']+)/g;
    let last = 0;
    let mt;
    while ((mt = re.exec(text))) {
      if (mt.index > last) frag.appendChild(document.createTextNode(text.slice(last, mt.index)));
      const tok = mt[1];
      if (tok === '@_all') frag.appendChild(h('span', { className: 'mention' }, '@all'));
      else if (tok.startsWith('@_user_')) {
        const men = (mentions || []).find((x) => x.key === tok);
        frag.appendChild(men ? h('span', { className: 'mention', title: men.id }, '@' + men.name) : document.createTextNode(tok));
      } else frag.appendChild(h('a', { href: tok, target: '_blank', rel: 'noopener noreferrer' }, tok));
      last = re.lastIndex;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  function postBody(c) {
    if (!c || typeof c !== 'object') return null;
    if (Array.isArray(c.content)) return c;
    for (const k of ['zh_cn', 'en_us', 'ja_jp']) if (c[k] && typeof c[k] === 'object') return c[k];
    for (const v of Object.values(c)) if (v && typeof v === 'object' && Array.isArray(v.content)) return v;
    return null;
  }

  function postEl(c, m) {
    const p = postBody(c);
    if (!p) return h('pre', { className: 'json' }, JSON.stringify(c, null, 2));
    const box = h('div', { className: 'post' });
    if (p.title) box.appendChild(h('div', { className: 'post-title' }, String(p.title)));
    for (const line of Array.isArray(p.content) ? p.content : []) {
      const div = h('div', { className: 'post-line' });
      for (const e of Array.isArray(line) ? line : [line]) div.appendChild(postElement(e, m));
      box.appendChild(div);
    }
    return box;
  }

  function styled(node, style) {
    const st = Array.isArray(style) ? style : [];
    for (const s of ['bold', 'italic', 'underline', 'lineThrough']) if (st.includes(s)) node.classList.add('st-' + s);
    return node;
  }

  function postElement(e, m) {
    if (!e || typeof e !== 'object') return document.createTextNode('');
    switch (e.tag) {
      case 'text':
        return styled(h('span', null, String(e.text || '')), e.style);
      case 'a':
        return styled(h('a', { href: e.href, target: '_blank', rel: 'noopener noreferrer', title: String(e.href || '') }, String(e.text || e.href || '')), e.style);
      case 'at': {
        if (e.user_id === 'all' || e.user_id === '@_all') return h('span', { className: 'mention' }, '@all');
        const men = (m.mentions || []).find((x) => x.key === e.user_id || x.id === e.user_id);
        return h('span', { className: 'mention' }, '@' + (men ? men.name : e.user_name || e.user_id));
      }
      case 'img':
        return imageEl(e.image_key, m.resources);
      case 'media':
        return fileEl(e.file_key, 'Video', m.resources, 'VIDEO');
      case 'emotion':
        return h('span', { title: String(e.emoji_type || '') }, EMOJI[e.emoji_type] || ':' + String(e.emoji_type || '') + ':');
      case 'code_block':
        return h('pre', { className: 'code' }, String(e.text || ''));
      case 'hr':
        return h('hr');
      case 'md':
        return mdEl(String(e.text || ''));
      default:
        return h('span', { className: 'muted' }, '[' + String(e.tag || '?') + ']');
    }
  }

  function imageEl(key, resources) {
    if (!key) return h('span', { className: 'muted' }, '[Image]');
    const info = (resources || {})[key];
    const url = resourceUrl(key);
    const img = h('img', { className: 'image', src: url, alt: info ? info.file_name : key, title: (info ? info.file_name + ' · ' : '') + key, loading: 'lazy' });
    return h('a', { className: 'image-link', href: url, target: '_blank', rel: 'noopener' }, img);
  }

  function fileEl(key, name, resources, icon) {
    const info = key ? (resources || {})[key] : undefined;
    const label = name || (info && info.file_name) || key || 'file';
    if (!key) return h('span', { className: 'muted' }, '[' + label + ']');
    const ext = /\.([a-z0-9]{1,4})$/i.exec((info && info.file_name) || label);
    return h('a', { className: 'file', href: resourceUrl(key), download: (info && info.file_name) || label, title: key },
      h('span', { className: 'file-icon', 'aria-hidden': 'true' }, ext ? ext[1].toUpperCase() : icon),
      h('span', { className: 'file-main' }, h('span', { className: 'file-name' }, label), h('span', { className: 'file-size muted' }, info ? size(info.size) + ' · download' : 'not in the emulator')));
  }

  function systemText(c) {
    if (!c) return 'System message';
    const tpl = typeof c.template === 'string' ? c.template : '';
    const vars = c.from_user || c.to_chatters ? c : {};
    return tpl ? tpl.replace(/\{(\w+)\}/g, (_a, k) => (Array.isArray(vars[k]) ? vars[k].join(', ') : String(vars[k] ?? ''))) : JSON.stringify(c);
  }

  function forwardEl(m, byId) {
    const kids = m.children || [];
    const box = h('div', { className: 'forward' }, h('div', { className: 'forward-head' }, '↪ Forwarded ' + kids.length + (kids.length === 1 ? ' message' : ' messages')));
    for (const k of kids) {
      box.appendChild(
        h('div', { className: 'forward-item' },
          h('div', { className: 'msg-meta' }, h('span', { className: 'sender' }, k.sender.name), h('time', { className: 'time' }, timeOf(k.create_time))),
          h('div', { className: 'content type-' + k.msg_type }, renderContent(k, byId))),
      );
    }
    return box;
  }

  // ---- cards ----

  const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];

  function textOf(t) {
    if (!t) return '';
    if (typeof t === 'string') return t;
    if (typeof t.content === 'string') return t.content;
    if (t.i18n && typeof t.i18n === 'object') return String(Object.values(t.i18n)[0] || '');
    return '';
  }

  function cardTitle(c) {
    if (!c || typeof c !== 'object') return '';
    const header = c.header || (c.i18n_header && Object.values(c.i18n_header)[0]);
    return header ? textOf(header.title) : '';
  }

  function cardEl(c) {
    const box = h('div', { className: 'card-msg' });
    if (!c || typeof c !== 'object') return box;
    if (c.type === 'template') {
      box.appendChild(h('div', { className: 'card-body muted' }, 'Template card ' + String((c.data && c.data.template_id) || '')));
    } else {
      const header = c.header || (c.i18n_header && Object.values(c.i18n_header)[0]);
      if (header) {
        const tpl = TEMPLATES.includes(header.template) ? header.template : 'default';
        box.appendChild(h('div', { className: 'card-header tpl-' + tpl }, textOf(header.title) || 'Card', header.subtitle ? h('div', { className: 'card-subtitle' }, textOf(header.subtitle)) : null));
      }
      const elements = Array.isArray(c.elements) ? c.elements : c.body && Array.isArray(c.body.elements) ? c.body.elements : c.i18n_elements ? Object.values(c.i18n_elements)[0] || [] : [];
      const body = h('div', { className: 'card-body' });
      for (const e of elements) body.appendChild(cardElement(e, 0));
      box.appendChild(body);
    }
    box.appendChild(h('details', { className: 'card-json' }, h('summary', null, 'Card JSON'), h('pre', { className: 'json' }, JSON.stringify(c, null, 2))));
    return box;
  }

  function cardElement(e, depth) {
    if (!e || typeof e !== 'object' || depth > 8) return document.createTextNode('');
    switch (e.tag) {
      case 'div': {
        const d = h('div', { className: 'card-div' });
        if (e.text) d.appendChild(e.text.tag === 'lark_md' ? mdEl(textOf(e.text)) : h('div', null, textOf(e.text)));
        if (Array.isArray(e.fields)) d.appendChild(h('div', { className: 'card-fields' }, e.fields.map((f) => h('div', { className: 'card-field' + (f.is_short ? ' short' : '') }, f.text && f.text.tag === 'lark_md' ? mdEl(textOf(f.text)) : textOf(f.text)))));
        return d;
      }
      case 'markdown':
      case 'lark_md':
        return mdEl(String(e.content || ''));
      case 'plain_text':
        return h('div', null, String(e.content || ''));
      case 'hr':
        return h('hr');
      case 'note':
        return h('div', { className: 'card-note' }, (e.elements || []).map((x) => (x && x.tag === 'img' ? null : textOf(x) + ' ')));
      case 'img':
      case 'image':
        return e.img_key ? imageEl(e.img_key, {}) : h('span', { className: 'muted' }, '[image]');
      case 'action':
        return h('div', { className: 'card-actions' }, (e.actions || []).map((a) => cardElement(a, depth + 1)));
      case 'button':
        return h('span', { className: 'card-button' + (e.type === 'primary' ? ' primary' : e.type === 'danger' ? ' danger' : ''), title: 'Buttons are shown, not clickable' }, textOf(e.text) || 'Button');
      case 'column_set':
        return h('div', { className: 'card-columns' }, (e.columns || []).map((col) => h('div', { className: 'card-column' }, (col.elements || []).map((x) => cardElement(x, depth + 1)))));
      default:
        return h('div', { className: 'muted' }, '[' + String(e.tag || 'element') + ']');
    }
  }

  /** A small, safe subset of Lark markdown: **bold**, *italic*, ~~strike~~, `code`, [text](url), line breaks. */
  function mdEl(src) {
    const box = h('div', { className: 'md' });
    const lines = String(src).split('\n');
    lines.forEach((line, i) => {
      if (i) box.appendChild(h('br'));
      const re = /(\*\*([^*]+)\*\*|~~([^~]+)~~|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*]+)\*|<at id=(?:"?)([^">\s]+)(?:"?)>\s*<\/at>)/g;
      let last = 0;
      let mt;
      while ((mt = re.exec(line))) {
        if (mt.index > last) box.appendChild(document.createTextNode(line.slice(last, mt.index)));
        if (mt[2] !== undefined) box.appendChild(h('strong', null, mt[2]));
        else if (mt[3] !== undefined) box.appendChild(h('s', null, mt[3]));
        else if (mt[4] !== undefined) box.appendChild(h('code', null, mt[4]));
        else if (mt[5] !== undefined) box.appendChild(h('a', { href: mt[6], target: '_blank', rel: 'noopener noreferrer' }, mt[5]));
        else if (mt[7] !== undefined) box.appendChild(h('em', null, mt[7]));
        else if (mt[8] !== undefined) {
          const u = S.users.find((x) => x.open_id === mt[8]);
          box.appendChild(h('span', { className: 'mention' }, '@' + (mt[8] === 'all' ? 'all' : u ? u.name : mt[8])));
        }
        last = re.lastIndex;
      }
      if (last < line.length) box.appendChild(document.createTextNode(line.slice(last)));
    });
    return box;
  }

  // ---- composer: join in ----

  function senders() {
    const c = S.chat;
    if (!c) return [];
    return [...c.members.map((m) => ({ id: m.id, label: m.name })), ...c.bots.map((b) => ({ id: b.id, label: b.name + ' (bot)' }))];
  }

  function renderComposer() {
    const sel = $('composer-as');
    const list = senders();
    const want = S.asByChat[S.chatId] || sel.value;
    clear(sel);
    for (const s of list) sel.appendChild(h('option', { value: s.id }, s.label));
    const pick = list.find((s) => s.id === want) || list.find((s) => s.id === S.loginAs) || list[0];
    if (pick) sel.value = pick.id;
    const t = clear($('composer-target'));
    if (S.target) {
      t.hidden = false;
      t.appendChild(h('span', null, '↩ Replying in thread: ', h('em', null, excerpt(S.target))));
      t.appendChild(h('button', { type: 'button', className: 'link', onclick: () => setTarget(null), title: 'Post to the chat instead' }, '✕'));
    } else t.hidden = true;
    $('composer-text').placeholder = S.target ? 'Reply in the thread…' : S.chat && S.chat.chat_mode === 'topic' ? 'Start a new topic…' : 'Write a message… (Enter sends, Shift+Enter for a new line)';
  }

  function setTarget(m) {
    S.target = m;
    renderComposer();
    $('composer-text').focus();
  }

  async function send(ev) {
    ev.preventDefault();
    const text = $('composer-text').value;
    if (!text.trim() || !S.chatId) return;
    const sender = $('composer-as').value;
    const body = { chat_id: S.chatId, sender, msg_type: 'text', content: { text } };
    if (S.target) {
      body.parent_id = S.target.message_id;
      body.reply_in_thread = true;
    }
    const err = $('composer-error');
    err.hidden = true;
    $('composer-send').disabled = true;
    try {
      await api('POST', '/_emulator/messages', body);
      $('composer-text').value = '';
      autoGrow();
      if (S.target) S.openThreads.add(S.target.message_id);
      await loadMessages(!S.target);
    } catch (e) {
      err.textContent = 'Not sent: ' + e.message;
      err.hidden = false;
    } finally {
      $('composer-send').disabled = false;
    }
  }

  function autoGrow() {
    const t = $('composer-text');
    t.style.height = 'auto';
    t.style.height = Math.min(t.scrollHeight, 160) + 'px';
  }

  // ---- requests: the journal ----

  function isRefused(e) {
    return e.status === 0 || e.status >= 400 || (e.code !== null && e.code !== 0);
  }

  async function loadJournal() {
    const d = await api('GET', '/_emulator/requests');
    S.journal = [];
    S.journalSeqs = new Set();
    for (const e of d.items) addEntry(e);
    renderJournal();
  }

  function addEntry(e) {
    if (S.journalSeqs.has(e.seq)) return false;
    S.journalSeqs.add(e.seq);
    S.journal.push(e);
    if (S.journal.length > 5000) S.journal.splice(0, S.journal.length - 5000);
    return true;
  }

  function matches(e) {
    const st = $('journal-status').value;
    if (st === 'refused' && !isRefused(e)) return false;
    if (st === 'ok' && isRefused(e)) return false;
    const id = $('journal-identity').value;
    if (id !== 'all' && (id === 'none' ? e.identity !== null : e.identity !== id)) return false;
    const q = $('journal-filter').value.trim().toLowerCase();
    if (!q) return true;
    const hay = [e.method, e.path, e.app_id, e.open_id, e.identity, String(e.status), String(e.code), e.verdict, JSON.stringify(e.query)].join(' ').toLowerCase();
    return q.split(/\s+/).every((w) => hay.includes(w));
  }

  function clock(iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }

  function journalRow(e) {
    const refused = isRefused(e);
    const open = S.openRows.has(e.seq);
    const tr = h('tr', { className: 'row' + (refused ? ' refused' : '') + (open ? ' open' : ''), dataset: { seq: String(e.seq) }, onclick: () => toggleRow(e.seq), tabindex: '0', onkeydown: (ev) => (ev.key === 'Enter' || ev.key === ' ') && (ev.preventDefault(), toggleRow(e.seq)) },
      h('td', { className: 'mono' }, clock(e.time)),
      h('td', null, e.identity ? h('span', { className: 'tag id-' + e.identity }, e.identity) : h('span', { className: 'muted' }, '—')),
      h('td', { className: 'mono small' }, e.app_id || '—'),
      h('td', null, h('span', { className: 'method m-' + e.method }, e.method)),
      h('td', { className: 'mono path' }, e.path, e.fault ? h('span', { className: 'tag fault' }, 'fault') : null),
      h('td', null, h('span', { className: 'status s' + String(e.status)[0] }, e.status === 0 ? 'dropped' : String(e.status))),
      h('td', { className: 'mono' + (e.code ? ' bad' : '') }, e.code === null ? '—' : String(e.code)),
    );
    return tr;
  }

  function detailRow(e) {
    const kv = (k, v) => h('div', { className: 'kv' }, h('span', { className: 'k' }, k), h('span', { className: 'v' }, v));
    const box = h('div', { className: 'detail' });
    if (e.verdict) box.appendChild(h('div', { className: 'verdict' + (isRefused(e) ? ' refused' : '') }, h('strong', null, isRefused(e) ? 'Refused: ' : 'Note: '), e.verdict));
    else if (!isRefused(e)) box.appendChild(h('div', { className: 'verdict ok' }, h('strong', null, 'Allowed'), ' · the caller had the scope and access this endpoint needs'));
    box.appendChild(
      h('div', { className: 'kvs' },
        kv('Request', e.method + ' ' + e.path),
        kv('Time', e.time),
        kv('Identity', (e.identity || 'no token') + (e.open_id ? ' · ' + e.open_id : '')),
        kv('App', e.app_id || '—'),
        kv('Answer', 'HTTP ' + (e.status || 'dropped') + ' · code ' + (e.code === null ? '—' : e.code) + ' · ' + e.duration_ms + ' ms'),
        e.range ? kv('Range', e.range) : null),
    );
    if (e.query && Object.keys(e.query).length) box.appendChild(h('div', { className: 'block' }, h('div', { className: 'k' }, 'Query'), h('pre', { className: 'json' }, JSON.stringify(e.query, null, 2))));
    box.appendChild(h('div', { className: 'block' }, h('div', { className: 'k' }, 'Body'), h('pre', { className: 'json' }, e.body === null || e.body === undefined ? '(none)' : JSON.stringify(e.body, null, 2))));
    return h('tr', { className: 'detail-row' }, h('td', { colspan: '7' }, box));
  }

  function toggleRow(seq) {
    if (S.openRows.has(seq)) S.openRows.delete(seq);
    else S.openRows.add(seq);
    renderJournal();
  }

  function renderJournal() {
    const refused = S.journal.filter(isRefused).length;
    const badge = $('refused-count');
    badge.hidden = refused === 0;
    badge.textContent = String(refused);
    badge.title = refused + ' refused or failed requests';
    if (S.view !== 'requests') return;
    const tb = clear($('journal-body'));
    const shown = S.journal.filter(matches);
    // newest first
    for (let i = shown.length - 1; i >= 0; i--) {
      const e = shown[i];
      tb.appendChild(journalRow(e));
      if (S.openRows.has(e.seq)) tb.appendChild(detailRow(e));
    }
    $('journal-empty').hidden = shown.length > 0;
    $('journal-empty').textContent = S.journal.length ? 'No request matches the filter.' : 'No requests yet. Point a client at this emulator and they show up here as they arrive.';
    $('journal-count').textContent = shown.length === S.journal.length ? S.journal.length + ' requests' : shown.length + ' of ' + S.journal.length + ' requests';
  }

  // ---- controls ----

  async function loadClock() {
    const d = await api('GET', '/_emulator/clock');
    const now = Number(d.now);
    S.clockOffset = d.offset_ms;
    $('clock').textContent = new Date(now).toLocaleString();
    $('clock-now').textContent = new Date(now).toLocaleString();
    const off = d.offset_ms;
    $('clock-offset').textContent = off ? '(' + formatOffset(off) + ' ahead of this computer)' : '(in step with this computer)';
  }

  function formatOffset(ms) {
    let s = Math.round(ms / 1000);
    const parts = [];
    for (const [n, u] of [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']]) {
      if (s >= n) {
        parts.push(Math.floor(s / n) + ' ' + u);
        s %= n;
      }
    }
    return parts.join(' ') || '0 s';
  }

  async function advance(seconds) {
    try {
      await api('POST', '/_emulator/clock', { advance_seconds: seconds });
      await loadClock();
      toast('Clock advanced by ' + formatOffset(seconds * 1000));
    } catch (e) {
      toast('Clock: ' + e.message, 'error');
    }
  }

  async function loadFaults() {
    const d = await api('GET', '/_emulator/faults');
    const tb = clear($('fault-list'));
    for (const f of d.items) {
      const effect = [f.drop ? 'drop the connection' : null, f.status !== undefined ? 'HTTP ' + f.status : null, f.code !== undefined ? 'code ' + f.code : null, f.delay_ms ? 'delay ' + f.delay_ms + ' ms' : null, f.after ? 'after carrying it out' : null].filter(Boolean).join(', ');
      tb.appendChild(h('tr', null, h('td', null, f.method || 'any'), h('td', { className: 'mono' }, f.path), h('td', null, effect), h('td', null, String(f.times))));
    }
    $('fault-none').hidden = d.items.length > 0;
  }

  async function addFault(ev) {
    ev.preventDefault();
    const num = (id) => ($(id).value === '' ? undefined : Number($(id).value));
    const f = { path: $('fault-path').value.trim(), times: num('fault-times') || 1 };
    if ($('fault-method').value) f.method = $('fault-method').value;
    if ($('fault-drop').checked) f.drop = true;
    else {
      if (num('fault-status') !== undefined) f.status = num('fault-status');
      if (num('fault-code') !== undefined) f.code = num('fault-code');
    }
    if (num('fault-delay')) f.delay_ms = num('fault-delay');
    const err = $('fault-error');
    err.hidden = true;
    try {
      await api('POST', '/_emulator/faults', f);
      await loadFaults();
      toast('Fault armed on ' + f.path);
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
    }
  }

  async function loadInfo() {
    const d = await api('GET', '/_emulator/info');
    const app = d.apps[0];
    const lines = ['# point the CLI (or any Lark SDK) at this emulator', 'export LARKSUITE_CLI_BRAND=' + location.origin];
    if (app) lines.push('export LARKSUITE_CLI_APP_ID=' + app.app_id, 'export LARKSUITE_CLI_APP_SECRET=' + app.app_secret);
    lines.push('lark-cli im +chat-list --as bot');
    $('connect').textContent = lines.join('\n');
    const dir = clear($('directory'));
    const t = h('table', { className: 'faults' }, h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Kind'), h('th', null, 'Id'))));
    const tb = h('tbody');
    for (const a of d.apps) tb.appendChild(h('tr', null, h('td', null, a.name), h('td', null, 'app / bot'), h('td', { className: 'mono' }, a.app_id)));
    for (const u of d.users) tb.appendChild(h('tr', null, h('td', null, u.name, u.open_id === d.login_as ? h('span', { className: 'tag' }, 'login_as') : null), h('td', null, 'user'), h('td', { className: 'mono' }, u.open_id)));
    t.appendChild(tb);
    dir.appendChild(t);
  }

  async function reset() {
    try {
      await api('POST', '/_emulator/reset');
      $('reset-note').textContent = 'Reset at ' + new Date().toLocaleTimeString();
      toast('Back to the seed');
      await reloadAll();
    } catch (e) {
      toast('Reset: ' + e.message, 'error');
    }
  }

  // ---- live ----

  let refreshTimer;
  let pendingChats = false;
  let pendingMessages = false;
  function scheduleRefresh(chats, messages) {
    pendingChats = pendingChats || chats;
    pendingMessages = pendingMessages || messages;
    if (refreshTimer) return;
    refreshTimer = setTimeout(async () => {
      refreshTimer = undefined;
      const c = pendingChats;
      const m = pendingMessages;
      pendingChats = pendingMessages = false;
      try {
        if (c) {
          await loadChats();
          if (S.chatId && !S.chats.some((x) => x.chat_id === S.chatId)) await loadMessages(false);
        }
        if (m) await loadMessages(false);
      } catch (e) {
        toast(e.message, 'error');
      }
    }, 60);
  }

  function setLive(state, text) {
    const el = $('live');
    el.dataset.state = state;
    el.textContent = text;
  }

  function connect() {
    const es = new EventSource('/_emulator/events');
    es.addEventListener('hello', () => {
      const reconnect = S.live;
      S.live = true;
      setLive('live', 'live');
      if (reconnect) reloadAll().catch(() => undefined);
    });
    es.addEventListener('change', (ev) => {
      const d = JSON.parse(ev.data);
      const chatsChanged = d.tables.some((t) => t === 'chats' || t === 'messages' || t === 'users' || t === 'apps');
      scheduleRefresh(chatsChanged, !!S.chatId && (d.chats.includes(S.chatId) || d.tables.includes('users')));
    });
    es.addEventListener('request', (ev) => {
      if (addEntry(JSON.parse(ev.data))) scheduleJournal();
    });
    es.addEventListener('reset', () => {
      reloadAll().catch((e) => toast(e.message, 'error'));
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) setLive('down', 'disconnected');
      else setLive('connecting', 'reconnecting…');
    };
  }

  let journalTimer;
  function scheduleJournal() {
    if (journalTimer) return;
    journalTimer = setTimeout(() => {
      journalTimer = undefined;
      renderJournal();
    }, 50);
  }

  async function reloadAll() {
    S.seen = {};
    await Promise.all([loadDirectory(), loadChats(), loadJournal(), loadClock(), loadFaults(), loadInfo()]);
    if (S.chatId) await loadMessages(false);
  }

  // ---- routing ----

  function route() {
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    const view = ['chats', 'requests', 'controls'].includes(parts[0]) ? parts[0] : 'chats';
    S.view = view;
    for (const v of ['chats', 'requests', 'controls']) {
      $('view-' + v).hidden = v !== view;
      $('tab-' + v).classList.toggle('active', v === view);
      $('tab-' + v).setAttribute('aria-selected', v === view ? 'true' : 'false');
    }
    if (view === 'chats') {
      const id = parts[1] ? decodeURIComponent(parts[1]) : S.chatId || (S.chats[0] && S.chats[0].chat_id);
      if (id) selectChat(id).catch((e) => toast(e.message, 'error'));
    } else if (view === 'requests') renderJournal();
    else if (view === 'controls') Promise.all([loadClock(), loadFaults(), loadInfo()]).catch((e) => toast(e.message, 'error'));
  }

  async function start() {
    $('composer').addEventListener('submit', send);
    $('composer-text').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) send(ev);
    });
    $('composer-text').addEventListener('input', autoGrow);
    $('composer-as').addEventListener('change', () => (S.asByChat[S.chatId] = $('composer-as').value));
    for (const id of ['journal-filter', 'journal-status', 'journal-identity']) $(id).addEventListener('input', renderJournal);
    $('journal-clear').addEventListener('click', async () => {
      await api('DELETE', '/_emulator/requests');
      S.openRows.clear();
      await loadJournal();
    });
    $('reset').addEventListener('click', reset);
    $('clock-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      advance(Number($('clock-seconds').value) || 0);
    });
    for (const b of document.querySelectorAll('[data-advance]')) b.addEventListener('click', () => advance(Number(b.dataset.advance)));
    $('fault-form').addEventListener('submit', addFault);
    $('fault-clear').addEventListener('click', async () => {
      await api('DELETE', '/_emulator/faults');
      await loadFaults();
      toast('Faults cleared');
    });
    window.addEventListener('hashchange', route);
    // the header's clock moves on between loads (the offset is what the emulator adds to this computer's time)
    setInterval(() => {
      if (typeof S.clockOffset === 'number') $('clock').textContent = new Date(Date.now() + S.clockOffset).toLocaleString();
    }, 15000);
    connect();
    await reloadAll();
    route();
    document.body.dataset.ready = 'true';
  }

  start().catch((e) => {
    setLive('down', 'error');
    toast('The page could not load: ' + e.message, 'error');
  });
})();
