/** How word-vector training progress reads in the editor's notification, and how far along the bar it is. */
import type { VectorTrainingPhase, VectorTrainingProgress } from '../vectors/training/vectorTrainingTypes';

/** Where each phase starts on the 0..100 bar; each runs to where the next starts. */
const PHASE_START: Record<VectorTrainingPhase, number> = { reading: 0, counting: 10, training: 15, writing: 97 };
const PHASE_END: Record<VectorTrainingPhase, number> = { reading: 10, counting: 15, training: 97, writing: 100 };

export function progressPercent({ phase, fraction }: VectorTrainingProgress): number {
  const share = Math.min(1, Math.max(0, fraction));
  return Math.floor(PHASE_START[phase] + (PHASE_END[phase] - PHASE_START[phase]) * share);
}

/** E.g. "epoch 2/5 · 412,300 words/s · lr 0.0182 · loss 2.713 · 0:42 left". */
export function progressMessage(progress: VectorTrainingProgress, epochs: number, files: number): string {
  switch (progress.phase) {
    case 'reading':
      return `reading ${files} file${files === 1 ? '' : 's'} · ${Math.round(100 * progress.fraction)}%`;
    case 'counting':
      return 'counting words';
    case 'writing':
      return 'writing the vectors';
    case 'training': {
      const parts = [
        `epoch ${Math.max(1, progress.epoch)}/${epochs}`,
        `${Math.round(progress.wordsPerSecond).toLocaleString('en-US')} words/s`,
        `lr ${progress.learningRate.toPrecision(3)}`,
      ];
      if (progress.loss !== undefined && Number.isFinite(progress.loss)) parts.push(`loss ${progress.loss.toFixed(3)}`);
      if (progress.etaSeconds !== undefined) parts.push(`${duration(progress.etaSeconds)} left`);
      return parts.join(' · ');
    }
  }
}

/** m:ss, or h:mm:ss past an hour. */
function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
