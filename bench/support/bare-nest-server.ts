/**
 * The query benchmark's second baseline, run as a process of its own: NestJS 12 on Fastify,
 * as the engine uses them, with one route that answers a constant (GET /constant) and
 * nothing else (and GET /health, which the benchmark waits for): no auth, no validation, no
 * store, no logging. The overdue-status query's
 * req/s as a share of this route's is what the framework leaves to the engine's own path
 * (issue 23: at least 40%).
 *
 *   PORT, HOST
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

const CONSTANT = { status: 'ok', answer: 42 };

@Controller()
class ConstantController {
  @Get('constant')
  constant(): typeof CONSTANT {
    return CONSTANT;
  }

  /** What ServerProcess waits for before the run. */
  @Get('health')
  health(): typeof CONSTANT {
    return CONSTANT;
  }
}

@Module({ controllers: [ConstantController] })
class ConstantModule {}

const app = await NestFactory.create<NestFastifyApplication>(ConstantModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env['PORT']), process.env['HOST'] ?? '127.0.0.1');

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
