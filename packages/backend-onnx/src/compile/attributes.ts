/** Builders of ONNX node attributes. */
import type { HostTensor } from '@rank-collapse/backend';
import { ATTR_TYPE, type AttributeProto } from '@rank-collapse/model-files/onnx';
import { tensorProto } from '@rank-collapse/model-files/onnx';

export const intAttr = (name: string, i: number): AttributeProto => ({ name, type: ATTR_TYPE.INT, i });
export const floatAttr = (name: string, f: number): AttributeProto => ({ name, type: ATTR_TYPE.FLOAT, f });
export const intsAttr = (name: string, ints: readonly number[]): AttributeProto => ({ name, type: ATTR_TYPE.INTS, ints: [...ints] });
export const stringAttr = (name: string, s: string): AttributeProto => ({ name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(s) });
export const tensorAttr = (name: string, t: HostTensor): AttributeProto => ({ name, type: ATTR_TYPE.TENSOR, t: tensorProto('', t) });

/** Drops attributes whose value is undefined, so ONNX defaults apply. */
export function present(...attrs: (AttributeProto | undefined)[]): AttributeProto[] {
  return attrs.filter((a): a is AttributeProto => a !== undefined);
}
