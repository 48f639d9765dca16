// A tiny A2A 1.0 agent for the hub's a2a skill interop test (A2aSkillInteropTest).
// node echo-agent.mjs [--streaming] [--v03]: listens on a free loopback port and prints it as the first
// line of stdout. Its executor answers "<text>" with an artifact "echo: <text>"; "fail" fails the
// task with a reason; "slow" stays working until cancelled. GET /test/cancelled lists the tasks
// cancelled so far, each {id, metadata} with the metadata of the message that started it (the hub
// sends hive_task_id there), so a test can see that the cancellation of its own task reached the
// remote one, whatever other tests cancelled on the same agent. GET /test/started lists the tasks
// begun so far, the same way: a test cancels once its remote task exists (cancelled earlier, the
// hub rightly sends no message at all).
// --v03: its only JSON-RPC interface speaks protocol 0.3 (the SDK's compatibility layer).
import express from 'express';
import { AGENT_CARD_PATH } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const streaming = process.argv.includes('--streaming');
const legacy = process.argv.includes('--v03');
const TaskState = { WORKING: 2, COMPLETED: 3, FAILED: 4, CANCELED: 5 };
const AGENT_ROLE = 2;
const cancelled = [];
const sentWith = new Map(); // task id -> metadata of the message that started it
const started = [];
const waiting = new Map(); // task id -> resolves when the task is cancelled

const textPart = (text) => ({
  content: { $case: 'text', value: text },
  metadata: undefined,
  filename: '',
  mediaType: 'text/plain',
});
const agentMessage = (ctx, text) => ({
  messageId: crypto.randomUUID(),
  contextId: ctx.contextId,
  taskId: ctx.taskId,
  role: AGENT_ROLE,
  parts: [textPart(text)],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});
const status = (ctx, state, text) =>
  AgentEvent.statusUpdate({
    taskId: ctx.taskId,
    contextId: ctx.contextId,
    status: {
      state,
      message: text ? agentMessage(ctx, text) : undefined,
      timestamp: new Date().toISOString(),
    },
    metadata: undefined,
  });

const executor = {
  async execute(ctx, bus) {
    const text = ctx.userMessage.parts
      .filter((p) => p.content?.$case === 'text')
      .map((p) => p.content.value)
      .join('');
    sentWith.set(ctx.taskId, ctx.userMessage.metadata ?? null);
    started.push({ id: ctx.taskId, metadata: ctx.userMessage.metadata ?? null });
    bus.publish(
      AgentEvent.task({
        id: ctx.taskId,
        contextId: ctx.contextId,
        status: { state: TaskState.WORKING, message: undefined, timestamp: new Date().toISOString() },
        artifacts: [],
        history: [ctx.userMessage],
        metadata: ctx.userMessage.metadata,
      }),
    );
    if (text.includes('fail')) {
      bus.publish(status(ctx, TaskState.FAILED, 'the echo agent was told to fail'));
    } else if (text.includes('slow')) {
      await new Promise((resolve) => waiting.set(ctx.taskId, resolve));
    } else {
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId: ctx.taskId,
          contextId: ctx.contextId,
          artifact: {
            artifactId: crypto.randomUUID(),
            name: 'echo',
            description: '',
            parts: [textPart('echo: ' + text)],
            metadata: undefined,
            extensions: [],
          },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      bus.publish(status(ctx, TaskState.COMPLETED));
    }
    bus.finished();
  },
  async cancelTask(taskId, bus) {
    cancelled.push({ id: taskId, metadata: sentWith.get(taskId) ?? null });
    bus.publish(status({ taskId, contextId: '' }, TaskState.CANCELED, 'cancelled by the client'));
    waiting.get(taskId)?.();
    waiting.delete(taskId);
  },
};

const app = express();
const server = app.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const card = {
    name: 'Echo Agent',
    description: 'Echoes its input; fails on "fail"; works until cancelled on "slow".',
    supportedInterfaces: [
      { url: `http://127.0.0.1:${port}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: legacy ? '0.3' : '1.0' },
    ],
    provider: undefined,
    version: '1.0.0',
    capabilities: { streaming, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: 'echo',
        name: 'Echo',
        description: 'Echoes the input',
        tags: ['text'],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  app.get('/test/cancelled', (req, res) => res.json(cancelled));
  app.get('/test/started', (req, res) => res.json(started));
  const legacyCompat = { enabled: legacy };
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler, legacyCompat }));
  app.use(
    '/a2a/jsonrpc',
    jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication, legacyCompat }),
  );
  console.log(port);
});
