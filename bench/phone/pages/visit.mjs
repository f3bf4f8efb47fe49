// The page side of the phone benchmark, shared by the three clients' pages.
// A visit is `?visit=first` (load, ready, sign in) or `?visit=returning`
// (load, then read the tokens the first visit stored); `config` in the query
// string holds the endpoint, pool, client and user. The harness reads
// `window.phoneResult` once the page logs that it is done: the marks (ms
// since navigation start), the page's time origin, its long tasks, and the
// token it ended with.
//
// A client is { load(config), signIn(app, config), tokens(app) }: load
// resolves once the client can be used (its code, wasm and settings), signIn
// to the access token it got, tokens to the stored one (or nothing).

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const mark = (name) => performance.mark(name).startTime;

export async function runVisit(client) {
  const params = new URLSearchParams(location.search);
  const visit = params.get('visit');
  const config = JSON.parse(params.get('config'));
  const marks = {};
  try {
    const app = await client.load(config);
    let accessToken;
    if (visit === 'first') {
      marks.ready = mark('ready');
      // The sign-in starts in a task of its own, as a tap on a button would,
      // so the long tasks of loading are not counted as the sign-in's.
      await nextTask();
      marks.signInStart = mark('signInStart');
      accessToken = await client.signIn(app, config);
      marks.signedIn = mark('signedIn');
    } else if (visit === 'returning') {
      accessToken = await client.tokens(app);
      marks.tokens = mark('tokens');
    } else {
      throw new Error(`unknown visit ${visit}`);
    }
    if (typeof accessToken !== 'string' || !accessToken.startsWith('eyJ')) {
      throw new Error(`no access token after the ${visit} visit: ${accessToken}`);
    }
    finish({ marks, accessToken });
  } catch (error) {
    finish({ marks, error: String(error?.stack ?? error) });
  }
}

function finish(result) {
  window.phoneResult = {
    ...result,
    timeOrigin: performance.timeOrigin,
    longTasks: window.phoneLongTasks ?? null,
  };
  console.info('phone benchmark: visit done'); // what bench/phone/measure.mjs waits for
}
