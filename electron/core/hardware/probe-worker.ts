// Runs the hardware probe in a worker thread (electron/main starts it), so nothing that
// systeminformation does can hold up the main process.
import { parentPort, workerData } from 'node:worker_threads';
import { probeSystem } from './system-probe';

const { timeoutMs } = workerData as { timeoutMs: number };
parentPort?.postMessage(await probeSystem(timeoutMs));
