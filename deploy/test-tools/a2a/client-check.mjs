// The hub as seen by the A2A JavaScript SDK (@a2a-js/sdk, pinned in package-lock.json): an
// outside client's proof that the hub's card and JSON-RPC endpoint interoperate. Run by
// A2aInteropTest (hive-http, tag needs-tools) against a test hub:
//
//   HUB_URL=http://127.0.0.1:8080 HUB_KEY=hk_... QUICK_CAP=... SLOW_CAP=... NOBODY_CAP=... \
//     node client-check.mjs
//
// QUICK_CAP: a capability of an agent that completes at once; SLOW_CAP: of one that takes a few
// seconds; NOBODY_CAP: of no agent. Prints one JSON line of what it saw; exits 0 even when a check
// failed (the Java test asserts on the line), 2 only when it could not run at all.
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  createAuthenticatingFetchWithRetry,
} from '@a2a-js/sdk/client';
import { LegacyJsonRpcTransport } from '@a2a-js/sdk/compat/v0_3/client';
import { Role, taskStateToJSON } from '@a2a-js/sdk';

const { HUB_URL, HUB_KEY, QUICK_CAP, SLOW_CAP, NOBODY_CAP } = process.env;
if (!HUB_URL || !HUB_KEY) {
  console.error('HUB_URL and HUB_KEY are required');
  process.exit(2);
}

// the SDK's auth hook: every request (card, JSON-RPC, streams) carries the hub key
const withKey = createAuthenticatingFetchWithRetry(fetch, {
  headers: async () => ({ Authorization: `Bearer ${HUB_KEY}` }),
  shouldRetryWithHeaders: async () => undefined,
});

function clientFactory(fetchImpl, polling) {
  return new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
      clientConfig: { polling },
    }),
  );
}

function message(text, capability) {
  return {
    message: {
      messageId: `check-${Date.now()}-${Math.random()}`,
      role: Role.ROLE_USER,
      parts: [{ content: { $case: 'text', value: text } }],
    },
    metadata: { required_capabilities: [capability] },
  };
}

const state = (task) => taskStateToJSON(task?.status?.state);
const failure = (e) => ({ error: e?.constructor?.name, message: String(e?.message ?? e) });
const out = {};

async function check(name, body) {
  try {
    out[name] = await body();
  } catch (e) {
    out[name] = failure(e);
  }
}

const client = await clientFactory(withKey, false).createFromUrl(HUB_URL);
const polling = await clientFactory(withKey, true).createFromUrl(HUB_URL);

await check('card', async () => {
  const card = await client.getAgentCard();
  return {
    name: card.name,
    streaming: card.capabilities?.streaming,
    pushNotifications: card.capabilities?.pushNotifications,
    interfaces: card.supportedInterfaces.map((i) => `${i.protocolBinding} ${i.protocolVersion} ${i.url}`),
    skills: card.skills.map((s) => s.id),
    protocolVersion: client.protocolVersion,
  };
});

await check('sent', async () => {
  const task = await client.sendMessage(message('Say hello\nto the hive', QUICK_CAP));
  const part = task.artifacts?.[0]?.parts?.[0]?.content;
  return { id: task.id, state: state(task), artifact: part?.$case, history: task.history.length };
});

await check('streamed', async () => {
  const events = [];
  for await (const event of client.sendMessageStream(message('Stream this', SLOW_CAP))) {
    const { $case, value } = event.payload;
    events.push(
      $case === 'statusUpdate'
        ? `statusUpdate ${state(value)}`
        : $case === 'task'
          ? `task ${state(value)}`
          : `${$case} ${value.artifact?.parts?.[0]?.content?.$case ?? ''}`.trim(),
    );
  }
  return events;
});

await check('cancelled', async () => {
  const task = await polling.sendMessage(message('Long enough to cancel', SLOW_CAP));
  const seen = [];
  let cancelled;
  // SubscribeToTask: cancel as soon as the task is seen working, then read on to its end
  for await (const event of client.resubscribeTask({ id: task.id })) {
    const { $case, value } = event.payload;
    const s = $case === 'task' || $case === 'statusUpdate' ? state(value) : $case;
    seen.push(s);
    if (s === 'TASK_STATE_WORKING' && !cancelled) {
      cancelled = await client.cancelTask({ id: task.id });
    }
  }
  let again;
  try {
    await client.cancelTask({ id: task.id });
    again = 'no error';
  } catch (e) {
    again = failure(e);
  }
  return { seen, cancelledState: state(cancelled), again };
});

await check('queued', async () => {
  const task = await polling.sendMessage(message('Nobody can take this', NOBODY_CAP));
  const got = await client.getTask({ id: task.id });
  // ListTasks reads the hub's task view, which follows the journal a moment behind: ask again
  let listed = false;
  for (let i = 0; i < 100 && !listed; i++) {
    const page = await client.listTasks({ pageSize: 5 });
    listed = page.tasks.some((t) => t.id === task.id);
    if (!listed) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cancelled = await client.cancelTask({ id: task.id });
  return {
    state: state(task),
    listed,
    got: state(got),
    cancelled: state(cancelled),
  };
});

await check('legacy', async () => {
  // 0.3's JSON-RPC names and shapes (message/send, tasks/get), as a 0.3 client sends them
  const legacy = new LegacyJsonRpcTransport({ endpoint: `${HUB_URL}/a2a`, fetchImpl: withKey });
  const params = message('Old style', NOBODY_CAP);
  params.configuration = { returnImmediately: true };
  const sent = await legacy.sendMessage(params);
  const got = await legacy.getTask({ id: sent.id });
  await legacy.cancelTask({ id: sent.id });
  return { state: state(got), id: got.id === sent.id };
});

await check('unauthorized', async () => {
  const anonymous = await clientFactory(fetch, false).createFromUrl(HUB_URL);
  try {
    await anonymous.getTask({ id: 'whatever' });
    return 'no error';
  } catch (e) {
    return failure(e);
  }
});

console.log(JSON.stringify(out));
