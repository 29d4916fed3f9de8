# The SQS stand-in of `docker compose up`: fauxqs from the npm registry (1.9.x, the line that
# runs on Node 20 and 22), with the order-events FIFO queue and its dead-letter queue made at start.
FROM node:22-bookworm-slim
RUN npm install --global --no-audit --no-fund fauxqs@1.9.2
COPY fauxqs-init.json /etc/fauxqs/init.json
# FAUXQS_HOST: queue URLs are http://sqs.us-east-1.queue:4566/... (the compose service's name);
# without it they would name 127.0.0.1, which only this container reaches. (Its CLI logs every
# request whatever FAUXQS_LOGGER says.)
ENV FAUXQS_PORT=4566 \
    FAUXQS_HOST=queue \
    FAUXQS_INIT=/etc/fauxqs/init.json
USER node
EXPOSE 4566
HEALTHCHECK --interval=2s --timeout=3s --retries=30 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4566/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["fauxqs"]
