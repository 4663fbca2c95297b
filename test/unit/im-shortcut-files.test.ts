/**
 * `im +name` imports src/im/shortcuts/<name>.js directly (the table of src/im/shortcuts/index.ts):
 * every shortcut must live in the file named after its command, the table must hold all of them,
 * and each row's loader must load its shortcut.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShortcuts, SHORTCUT_TABLE } from '../../src/im/shortcuts/index.js';

const SHORTCUTS = await loadShortcuts();
const SHORTCUT_LOADERS = Object.fromEntries(SHORTCUT_TABLE.map((e) => [e.name, () => e.load()]));

describe('shortcut files', () => {
  it('names each file after its command', () => {
    for (const def of SHORTCUTS) {
      expect(existsSync(path.join(__dirname, '../../src/im/shortcuts', `${def.command.slice(1)}.ts`)), def.command).toBe(true);
    }
  });
  it('registers the shortcuts of the seed and the newer ones', () => {
    expect(SHORTCUTS.map((d) => d.command).sort()).toEqual([
      '+chat-create', '+chat-list', '+chat-members-list', '+chat-messages-list', '+chat-search', '+chat-update',
      '+feed-group-list', '+feed-group-list-item', '+feed-group-query-item',
      '+feed-shortcut-create', '+feed-shortcut-list', '+feed-shortcut-remove',
      '+flag-cancel', '+flag-create', '+flag-list',
      '+message-read-users',
      '+messages-edit', '+messages-mget', '+messages-read-status', '+messages-reply', '+messages-resources-download', '+messages-search', '+messages-send',
      '+threads-messages-list',
    ]);
  });
  it('has a loader for every shortcut, loading that shortcut', async () => {
    expect(Object.keys(SHORTCUT_LOADERS).sort()).toEqual(SHORTCUTS.map((d) => d.command.slice(1)).sort());
    for (const [name, load] of Object.entries(SHORTCUT_LOADERS)) {
      expect((await load()).default.command).toBe(`+${name}`);
    }
  });
});
