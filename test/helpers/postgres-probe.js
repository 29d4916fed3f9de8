const { Client } = require('pg');

/** Exits 0 when the PostgreSQL server at argv[2] answers, 1 (printing why) when it does not. */
async function probe(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

probe(process.argv[2]).then(
  () => process.exit(0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
