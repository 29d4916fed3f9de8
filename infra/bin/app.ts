#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { InfraConfigError, loadInfraConfig, SETTINGS } from '../lib/config';
import { defineDeployment } from '../lib/order-service-app';

// Settings come from `-c key=value`, else from the environment variable SETTINGS names; the
// defaults are example values that synthesize offline (and fail a real deploy loudly).
const app = new App();
try {
  const config = loadInfraConfig((key) => {
    const value: unknown = app.node.tryGetContext(key);
    if (value !== undefined && value !== '') return String(value);
    return process.env[SETTINGS[key]] || undefined;
  });
  defineDeployment(app, config);
  app.synth();
} catch (error) {
  if (!(error instanceof InfraConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
