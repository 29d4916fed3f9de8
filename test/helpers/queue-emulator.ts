import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  DeleteMessageCommand,
  type Message,
  SQSClient,
} from '@aws-sdk/client-sqs';

const FAUXQS = pathToFileURL(path.resolve(__dirname, '..', '..', 'node_modules', 'fauxqs', 'dist', 'app.js')).href;

/**
 * fauxqs, an SQS protocol server, started in a worker thread of the test process (it ships only as
 * an ES module, which jest's module loader cannot load, while a worker thread loads it natively).
 */
export class QueueEmulator {
  readonly sqs: SQSClient;

  private constructor(
    private readonly thread: Worker,
    /** The endpoint, as SQS_ENDPOINT takes it. */
    readonly endpoint: string,
  ) {
    this.sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }

  static async start(): Promise<QueueEmulator> {
    const thread = new Worker(
      `const { parentPort } = require('node:worker_threads');
       import(${JSON.stringify(FAUXQS)}).then(async ({ startFauxqs }) => {
         const server = await startFauxqs({ port: 0, host: 'localhost', logger: false });
         parentPort.on('message', () => server.stop().then(() => parentPort.close()));
         parentPort.postMessage(server.port);
       }, (error) => { throw error; });`,
      { eval: true },
    );
    const port = await new Promise<number>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    return new QueueEmulator(thread, `http://127.0.0.1:${port}`);
  }

  /**
   * A FIFO queue and its dead-letter queue, as the CDK app makes them (names must be unique per
   * emulator). Returns both URLs.
   */
  async createFifoQueue(name: string, options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {}) {
    const dlq = await this.sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }));
    const { Attributes } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const queue = await this.sqs.send(
      new CreateQueueCommand({
        QueueName: `${name}.fifo`,
        Attributes: {
          FifoQueue: 'true',
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 2),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: String(options.maxReceiveCount ?? 5) }),
        },
      }),
    );
    return { url: queue.QueueUrl!, dlqUrl: dlq.QueueUrl! };
  }

  /** Takes every message now visible on a queue (deleting them), for assertions. */
  async drain(queueUrl: string): Promise<Message[]> {
    const taken: Message[] = [];
    for (;;) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) return taken;
      for (const message of Messages) {
        taken.push(message);
        await this.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  }

  /** The queue's approximate counts: visible and in flight. */
  async depth(queueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }

  async stop(): Promise<void> {
    this.sqs.destroy();
    const exited = new Promise((resolve) => this.thread.once('exit', resolve));
    this.thread.postMessage('stop');
    await exited;
  }
}
