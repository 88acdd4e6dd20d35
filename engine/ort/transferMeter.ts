/**
 * Counts what crosses between the CPU and a GPU execution provider at the ORT boundary: CPU
 * tensors fed to a GPU session (uploads) and outputs brought back to the CPU (downloads). Sessions
 * that share a meter add up (a generator passes one to all its parts). Copies that onnxruntime
 * makes inside a session, around nodes it placed on the CPU, are not seen here: the node placement
 * report (nodePlacement.ts) lists them as Memcpy nodes.
 */
export interface TransferCounts {
  uploads: number;
  uploadBytes: number;
  downloads: number;
  downloadBytes: number;
}

export class TransferMeter {
  private counts: TransferCounts = { uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0 };

  upload(bytes: number): void {
    this.counts.uploads++;
    this.counts.uploadBytes += bytes;
  }

  download(bytes: number): void {
    this.counts.downloads++;
    this.counts.downloadBytes += bytes;
  }

  /** A copy of the counts so far. */
  snapshot(): TransferCounts {
    return { ...this.counts };
  }

  /** counts since `before` (a snapshot) */
  since(before: TransferCounts): TransferCounts {
    const now = this.counts;
    return {
      uploads: now.uploads - before.uploads, uploadBytes: now.uploadBytes - before.uploadBytes,
      downloads: now.downloads - before.downloads, downloadBytes: now.downloadBytes - before.downloadBytes,
    };
  }
}
