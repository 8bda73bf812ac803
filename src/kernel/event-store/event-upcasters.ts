/**
 * Schema evolution: an event type's shape is versioned (metadata `schemaVersion`, 1 when
 * absent), and each upcaster turns one version's data into the next. Stored events are
 * never rewritten; they are read in the current shape.
 */
export interface EventUpcaster {
  readonly type: string;
  /** The version this upcaster reads; it returns data of version `fromVersion + 1`. */
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}

export const SCHEMA_VERSION = 'schemaVersion';

export class EventUpcasters {
  private readonly byType = new Map<string, Map<number, EventUpcaster>>();

  constructor(upcasters: readonly EventUpcaster[]) {
    for (const upcaster of upcasters) {
      if (!this.byType.has(upcaster.type)) this.byType.set(upcaster.type, new Map());
      const versions = this.byType.get(upcaster.type)!;
      if (versions.has(upcaster.fromVersion)) throw new Error(`Two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
      versions.set(upcaster.fromVersion, upcaster);
    }
    for (const [type, versions] of this.byType) {
      for (let v = 1; v < this.currentVersionOf(type); v++) {
        if (!versions.has(v)) throw new Error(`No upcaster for ${type} v${v}: its versions must form a chain from 1`);
      }
    }
  }

  /** The version an event of this type is written in today. */
  currentVersionOf(type: string): number {
    const versions = this.byType.get(type);
    return versions ? Math.max(...versions.keys()) + 1 : 1;
  }

  /** Types without upcasters are read as stored, without even looking at their metadata. */
  hasUpcasters(type: string): boolean {
    return this.byType.has(type);
  }

  upcast(type: string, version: number, data: unknown): unknown {
    const versions = this.byType.get(type);
    let current = data;
    for (let v = version; versions?.has(v); v++) current = versions.get(v)!.upcast(current);
    return current;
  }
}

export const NO_UPCASTERS = new EventUpcasters([]);
