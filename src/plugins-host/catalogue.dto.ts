import { ApiProperty } from '@nestjs/swagger';

export class EventTypeDto {
  @ApiProperty({ example: 'member.added' }) type: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'timbrix' }) plugin: string;
}

export class PluginDto {
  @ApiProperty({ example: 'timbrix' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '/timbrix' }) routePrefix: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty({ type: [String], example: ['1s', '5s', '30s'] }) retrySchedule: string[];
}
