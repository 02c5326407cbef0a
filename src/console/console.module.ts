import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The delivery console at /console (static files; every call it makes goes to the /v1 API). */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
