/**
 * Just enough of the ONNX protobuf format to write small inference graphs from JavaScript:
 * the bundled encoder re-expresses USE-lite with it, and tests build a tiny model with it.
 * Field numbers follow onnx/onnx.proto (proto2, so repeated scalars are written unpacked).
 */

export const DataType = { FLOAT: 1, INT64: 7 } as const;
type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const encoder = new TextEncoder();

/**
 * An encoded message as a list of byte chunks: nesting only prepends a header, so the large
 * weight tensors are copied once, when `model` joins everything.
 */
type Chunks = Uint8Array[];

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

const header = (field: number, wire: number, ...rest: number[]) => Uint8Array.from([...varint((field << 3) | wire), ...rest]);
const size = (chunks: Chunks) => chunks.reduce((n, c) => n + c.length, 0);

const int = (field: number, value: number | bigint): Chunks => [header(field, 0, ...varint(value))];
const bytes = (field: number, data: Uint8Array): Chunks => [header(field, 2, ...varint(data.length)), data];
const str = (field: number, text: string): Chunks => bytes(field, encoder.encode(text));
const msg = (field: number, parts: Chunks[]): Chunks => {
  const body = parts.flat();
  return [header(field, 2, ...varint(size(body))), ...body];
};
const float32 = (field: number, value: number): Chunks => {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setFloat32(0, value, true);
  return [header(field, 5), body];
};

export type Attribute = number | number[] | { float: number };

function attribute(name: string, value: Attribute): Chunks {
  // AttributeProto: name=1, f=2, i=3, ints=8, type=20 (FLOAT=1, INT=2, INTS=7).
  if (Array.isArray(value)) return msg(5, [str(1, name), ...value.map((v) => int(8, v)), int(20, 7)]);
  if (typeof value === 'number') return msg(5, [str(1, name), int(3, value), int(20, 2)]);
  return msg(5, [str(1, name), float32(2, value.float), int(20, 1)]);
}

/** An encoded NodeProto, TensorProto or ValueInfoProto, ready to place in a `Graph`. */
export type Part = Chunks;

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5 (default domain only). */
export function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}): Part {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(3, outputs[0] ?? opType),
    ...str(4, opType),
    ...Object.entries(attributes).flatMap(([n, v]) => attribute(n, v)),
  ];
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian, as ONNX requires). */
export function tensor(name: string, dims: number[], type: DataTypeCode, data: Float32Array | BigInt64Array): Part {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return [...dims.flatMap((d) => int(1, d)), ...int(2, type), ...str(8, name), ...bytes(9, raw)];
}

/** ValueInfoProto for a graph input or output; a string dimension is symbolic (e.g. "batch"). */
export function valueInfo(name: string, type: DataTypeCode, dims: (number | string)[]): Part {
  const dimensions = dims.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)]));
  const tensorType = msg(1, [int(1, type), msg(2, dimensions)]);
  return [...str(1, name), ...msg(2, [tensorType])];
}

export interface Graph {
  nodes: Part[];
  initializers: Part[];
  inputs: Part[];
  outputs: Part[];
}

/** ModelProto (IR version 8) with one graph; opset 17 is the first with LayerNormalization. */
export function model(graph: Graph, opset = 17): Uint8Array {
  const graphProto = msg(7, [
    ...graph.nodes.map((n) => msg(1, [n])),
    str(2, 'main'),
    ...graph.initializers.map((t) => msg(5, [t])),
    ...graph.inputs.map((v) => msg(11, [v])),
    ...graph.outputs.map((v) => msg(12, [v])),
  ]);
  const chunks = [...int(1, 8), ...str(2, 'archivist'), ...graphProto, ...msg(8, [str(1, ''), int(2, opset)])];
  const out = new Uint8Array(size(chunks));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
