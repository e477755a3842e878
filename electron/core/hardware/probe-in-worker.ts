import { Worker } from 'node:worker_threads';
import type { ProbeResults } from './interpret-hardware';
import { fallbackProbe } from './hardware-service';
import { DEFAULT_DETECTION_TIMEOUT_MS } from './system-probe';

/**
 * Probes in a worker thread built from probe-worker.ts. If the worker does not answer in time
 * (a probe hung despite its own limits), it is ended and the answer is what Node alone knows.
 */
export function probeInWorker(workerFile: string, timeoutMs = DEFAULT_DETECTION_TIMEOUT_MS): Promise<ProbeResults> {
  return new Promise((resolve) => {
    const worker = new Worker(workerFile, { workerData: { timeoutMs } });
    const finish = (probe: ProbeResults) => {
      clearTimeout(timer);
      resolve(probe);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(fallbackProbe(`detection gave no answer within ${timeoutMs / 1000 + 2} s`)), timeoutMs + 2000);
    worker.once('message', (probe: ProbeResults) => finish(probe));
    worker.once('error', (error) => finish(fallbackProbe(`detection failed: ${error.message}`)));
  });
}
