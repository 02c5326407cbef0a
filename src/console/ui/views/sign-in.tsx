import { useState } from 'preact/hooks';
import { tokenFromClient } from '../api';
import { View } from '../components';
import { reportError, signIn } from '../feedback';

/** Paste a token, or trade client credentials for one. The token stays in this tab. */
export function SignInView() {
  const [token, setToken] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const withToken = (event: Event) => {
    event.preventDefault();
    signIn(token.trim());
  };
  const withClient = async (event: Event) => {
    event.preventDefault();
    try {
      signIn(await tokenFromClient(clientId, clientSecret));
    } catch (err) {
      reportError(err);
    }
  };
  return (
    <View title="Sign in">
      <p>The console keeps your token in this tab only and sends it to this gateway's API.</p>
      <div class="columns">
        <form class="stacked" onSubmit={withToken}>
          <h3>With a token</h3>
          <label for="token">Access token</label>
          <textarea id="token" rows={4} required autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          <button type="submit">Sign in with token</button>
        </form>
        <form class="stacked" onSubmit={withClient}>
          <h3>With client credentials</h3>
          <label for="client-id">Client id</label>
          <input id="client-id" required autocomplete="username" value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
          <label for="client-secret">Client secret</label>
          <input id="client-secret" type="password" required autocomplete="current-password" value={clientSecret} onInput={(e) => setClientSecret(e.currentTarget.value)} />
          <button type="submit">Sign in with client</button>
        </form>
      </div>
    </View>
  );
}
