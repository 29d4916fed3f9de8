# The mail catcher of `docker compose up`: maildev from the npm registry. SMTP on 1025 for the
# worker, and a web page on 1080 where a person sees every email the stack sent.
FROM node:22-bookworm-slim
RUN npm install --global --no-audit --no-fund maildev@3.0.0
USER node
EXPOSE 1025 1080
# No STARTTLS offered: the worker's SMTP client would try it against a certificate nobody signed.
CMD ["maildev", "--smtp", "1025", "--web", "1080", "--ip", "0.0.0.0", "--hide-extensions", "STARTTLS"]
