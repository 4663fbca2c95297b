/**
 * Every `im` shortcut, one definition per file.
 */
import type { ShortcutDef } from '../../shortcut/define.js';

export const SHORTCUTS: ShortcutDef[] = [];
