import { signal } from '@preact/signals';

const soundKey = 'beseda.notify.sound';

function readSound(): boolean {
  try {
    return localStorage.getItem(soundKey) !== '0';
  } catch {
    return true;
  }
}

/** Whether new-message notifications make a sound in this browser (stored locally; on by default). */
export const soundOn = signal(readSound());

/** Switches the sound on or off and remembers it in this browser. */
export function setSoundOn(on: boolean): void {
  soundOn.value = on;
  try {
    localStorage.setItem(soundKey, on ? '1' : '0');
  } catch {
    // Private mode without storage: the choice lasts for this page.
  }
}

type AudioContextClass = typeof AudioContext;
let audio: AudioContext | null = null;
let lastPlayed = 0;
/** A burst of messages makes one sound, not a drum roll. */
const quietGapMs = 1500;

/**
 * A short, soft two-note chime made with WebAudio (no file to fetch, nothing to block in a 1C
 * form). Browsers keep audio suspended until the user has interacted with the page: the chime
 * is then silently skipped, never an error.
 */
export function playNotifySound(now = Date.now()): void {
  if (!soundOn.value || now - lastPlayed < quietGapMs) return;
  const Ctx = (window.AudioContext ??
    (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext) as
    AudioContextClass | undefined;
  if (!Ctx) return;
  try {
    audio ??= new Ctx();
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    lastPlayed = now;
    const start = audio.currentTime + 0.01;
    for (const [i, frequency] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const at = start + i * 0.11;
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.18, at + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.18);
    }
  } catch {
    // No audio device, or the host forbids audio: notifications still show.
  }
}
