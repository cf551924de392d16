import type Database from 'better-sqlite3';
import type { SweepStore } from '../store/sweep-store.js';

/** The store's own connection, for tests that check the file's tables and pragmas directly (users never see it). */
export const databaseOf = (store: SweepStore): Database.Database => store['db'];
