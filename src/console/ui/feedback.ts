import { useEffect, useState } from 'preact/hooks';
import { ApiError, session } from './api';

/**
 * The page's two live regions: a polite status line for progress and outcomes, and an alert for
 * errors. Views report here instead of each keeping its own message state.
 */
interface Feedback {
  status: string;
  alert: string;
}

let current: Feedback = { status: '', alert: '' };
const listeners = new Set<(f: Feedback) => void>();

function publish(next: Feedback): void {
  current = next;
  listeners.forEach((listener) => listener(current));
}

export function announce(status: string): void {
  publish({ status, alert: '' });
}

/** Shows the error; a refused token (401) also signs out. */
export function reportError(err: unknown): void {
  publish({ status: '', alert: err instanceof Error ? err.message : String(err) });
  if (err instanceof ApiError && err.status === 401) signOut();
}

export function clearFeedback(): void {
  publish({ status: '', alert: '' });
}

export function useFeedback(): Feedback {
  const [feedback, setFeedback] = useState(current);
  useEffect(() => {
    listeners.add(setFeedback);
    return () => void listeners.delete(setFeedback);
  }, []);
  return feedback;
}

const sessionListeners = new Set<() => void>();

export function signOut(): void {
  session.token = null;
  sessionListeners.forEach((listener) => listener());
}

export function signIn(token: string): void {
  session.token = token;
  clearFeedback();
  sessionListeners.forEach((listener) => listener());
}

/** Re-renders when the token changes (sign-in, sign-out, a refused token). */
export function useSession(): string | null {
  const [token, setToken] = useState(session.token);
  useEffect(() => {
    const onChange = () => setToken(session.token);
    sessionListeners.add(onChange);
    return () => void sessionListeners.delete(onChange);
  }, []);
  return token;
}
