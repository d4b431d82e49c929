/**
 * Just enough of the ONNX protobuf format to write small inference graphs from JavaScript:
 * the bundled encoder re-expresses USE-lite with it, and tests build a tiny model with it.
 * Field numbers follow onnx/onnx.proto (proto2, so repeated scalars are written unpacked).
 */

export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const encoder = new TextEncoder();

function varint(value: number | bigint): number[] {
  // Negative int64 values are written as their 64-bit two's complement (10 bytes).
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const int = (field: number, value: number | bigint) => Uint8Array.from([...key(field, 0), ...varint(value)]);
const bytes = (field: number, data: Uint8Array) => concat([Uint8Array.from([...key(field, 2), ...varint(data.length)]), data]);
const str = (field: number, text: string) => bytes(field, encoder.encode(text));
const msg = (field: number, parts: Uint8Array[]) => bytes(field, concat(parts));
const float32 = (field: number, value: number) => {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setFloat32(0, value, true);
  return concat([Uint8Array.from(key(field, 5)), body]);
};

export type Attribute = number | number[] | string | { float: number };

function attribute(name: string, value: Attribute): Uint8Array {
  // AttributeProto: name=1, f=2, i=3, s=4, ints=8, type=20 (FLOAT=1, INT=2, STRING=3, INTS=7).
  if (typeof value === 'string') return msg(5, [str(1, name), str(4, value), int(20, 3)]);
  if (Array.isArray(value)) return msg(5, [str(1, name), ...value.map((v) => int(8, v)), int(20, 7)]);
  if (typeof value === 'number') return msg(5, [str(1, name), int(3, value), int(20, 2)]);
  return msg(5, [str(1, name), float32(2, value.float), int(20, 1)]);
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7. */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, Attribute> = {},
  domain = '',
): Uint8Array {
  return concat([
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, outputs[0] ?? opType),
    str(4, opType),
    ...Object.entries(attributes).map(([n, v]) => attribute(n, v)),
    ...(domain ? [str(7, domain)] : []),
  ]);
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian, as ONNX requires). */
export function tensor(name: string, dims: number[], type: DataTypeCode, data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return concat([...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, raw)]);
}

/** ValueInfoProto for a graph input or output; a string dimension is symbolic (e.g. "batch"). */
export function valueInfo(name: string, type: DataTypeCode, dims: (number | string)[]): Uint8Array {
  const dimensions = dims.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)]));
  const tensorType = msg(1, [int(1, type), msg(2, dimensions)]);
  return concat([str(1, name), msg(2, [tensorType])]);
}

export interface Graph {
  nodes: Uint8Array[];
  initializers: Uint8Array[];
  inputs: Uint8Array[];
  outputs: Uint8Array[];
}

/** ModelProto with one graph; opset 17 is the first with LayerNormalization. */
export function model(graph: Graph, opset = 17): Uint8Array {
  const graphProto = [
    ...graph.nodes.map((n) => msg(1, [n])),
    str(2, 'main'),
    ...graph.initializers.map((t) => msg(5, [t])),
    ...graph.inputs.map((v) => msg(11, [v])),
    ...graph.outputs.map((v) => msg(12, [v])),
  ];
  return concat([int(1, 8), str(2, 'archivist'), msg(7, graphProto), msg(8, [str(1, ''), int(2, opset)])]);
}
