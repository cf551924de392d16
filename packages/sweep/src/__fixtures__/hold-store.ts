/**
 * Opens a store for writing and keeps it open until killed, printing "open <pid>" once it holds the lock:
 *   node --conditions=source --import tsx hold-store.ts <store>
 */
import { openSweepStore } from '../store/sweep-store.js';

const store = openSweepStore(process.argv[2]);
process.stdout.write(`open ${process.pid}${store.lock?.tookOverFrom ? ` took-over ${store.lock.tookOverFrom.pid}` : ''}\n`);
setInterval(() => {}, 1000);
