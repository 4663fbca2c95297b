/** Emulated endpoints: oauth (to be filled in). */
import type { Route } from '../router.js';

export const routes: Route[] = [];
