import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE, AccessRule } from './access.decorator';

export interface RouteAccess {
  controller: string;
  handler: string;
  rule: AccessRule;
}

/** Deny by default: start-up fails when any route lacks an @Access declaration. */
@Injectable()
export class AccessAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const missing = this.routes().filter((r) => !r.rule).map((r) => `${r.controller}.${r.handler}`);
    if (missing.length) throw new Error(`Routes without an @Access declaration (deny by default): ${missing.join(', ')}`);
  }

  routes(): (Omit<RouteAccess, 'rule'> & { rule: AccessRule | undefined })[] {
    return this.discovery.getControllers().flatMap((wrapper) => {
      const type = wrapper.metatype as Function | null;
      if (!type || !wrapper.instance) return [];
      const proto = Object.getPrototypeOf(wrapper.instance);
      return this.scanner
        .getAllMethodNames(proto)
        .filter((name) => Reflect.getMetadata(PATH_METADATA, proto[name]) !== undefined && Reflect.getMetadata(METHOD_METADATA, proto[name]) !== undefined)
        .map((name) => ({ controller: type.name, handler: name, rule: this.reflector.getAllAndOverride<AccessRule>(ACCESS_RULE, [proto[name], type]) }));
    });
  }
}
