/** Typed access to an ONNX node's attributes. */
import type { AttributeProto, NodeProto, TensorProto } from '@rank-collapse/model-files/onnx';

export class NodeAttributes {
  private readonly byName: Map<string, AttributeProto>;

  constructor(node: NodeProto) {
    this.byName = new Map((node.attribute ?? []).map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.byName.get(name);
    return a?.i !== undefined ? Number(a.i) : fallback;
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.byName.get(name);
    return a?.f !== undefined ? a.f : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map(Number) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  tensor(name: string): TensorProto | undefined {
    return this.byName.get(name)?.t;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
