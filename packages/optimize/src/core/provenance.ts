/** Where a compiled program came from; written into its artifact by `program.save`. */
export interface Provenance {
  readonly optimizer: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly metric?: string;
  readonly seed: number;
  readonly trainset: { readonly size: number; readonly hash: string };
  readonly valset: { readonly size: number; readonly hash: string };
  readonly scores: { readonly baseline?: number; readonly best?: number };
  readonly stoppedBy: string;
  readonly packages: Readonly<Record<string, string>>;
  /** Only with the optimizer option `timestamp: true` (artifacts stay byte-identical otherwise). */
  readonly createdAt?: string;
  readonly [key: string]: unknown;
}

const attached = new WeakMap<object, Provenance>();

/** Attaches provenance to a compiled program so that saving it records where it came from. */
export function attachProvenance(program: object, provenance: Provenance): void {
  attached.set(program, provenance);
  (program as { provenance?: Provenance }).provenance = provenance;
}

/** The provenance attached by an optimizer, if any. */
export function provenanceOf(program: object): Provenance | undefined {
  return attached.get(program);
}
