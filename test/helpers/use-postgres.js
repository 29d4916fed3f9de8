// The PostgreSQL half of the suite: test-database.ts reads this in every test file of the project.
process.env.TEST_DB = 'postgres';
