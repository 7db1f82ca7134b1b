import { parentPort } from 'node:worker_threads';
import { type ProgressChartInput, renderProgressChart } from './progress-chart';

/** A chart thread (see ChartThreads): lays out and rasterizes the charts it is sent, one message each. */
export interface ChartRequest {
  id: number;
  input: ProgressChartInput;
}

export type ChartAnswer = { id: number; ok: true; png: Uint8Array } | { id: number; ok: false; message: string };

parentPort?.on('message', (request: ChartRequest) => {
  renderProgressChart(request.input).then(
    (png) => {
      const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
      parentPort!.postMessage({ id: request.id, ok: true, png: bytes } satisfies ChartAnswer);
    },
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies ChartAnswer),
  );
});
