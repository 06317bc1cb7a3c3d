/// <summary>
/// A one-node ONNX model, written as protobuf bytes: GlobalAveragePool over an image [1, 3, H, W] gives
/// each channel's mean [1, 3, 1, 1]. Enough to prove the frame reaches the session as a normalised NCHW
/// tensor; a real detector takes its place with <c>new InferenceSession("model.onnx")</c>.
/// </summary>
internal static class TinyModel
{
    public const string Input = "image";
    public const string Output = "channel_mean";

    public static byte[] Build(int width, int height)
    {
        var node = Message(w => { w.Text(1, Input); w.Text(2, Output); w.Text(4, "GlobalAveragePool"); });
        var graph = Message(w =>
        {
            w.Bytes(1, node);
            w.Text(2, "channel_mean_graph");
            w.Bytes(11, TensorValue(Input, [1, 3, height, width]));
            w.Bytes(12, TensorValue(Output, [1, 3, 1, 1]));
        });
        return Message(w =>
        {
            w.Varint(1, 8);                                            // ir_version 8
            w.Bytes(8, Message(o => { o.Text(1, ""); o.Varint(2, 13); })); // opset: the default domain, 13
            w.Text(2, "MpegCoder.OnnxDetect");                         // producer_name
            w.Bytes(7, graph);
        });
    }

    // ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: { elem_type = 1 (float), shape = 2 } } }
    private static byte[] TensorValue(string name, long[] dims)
    {
        var shape = Message(s =>
        {
            foreach (long d in dims)
                s.Bytes(1, Message(dim => dim.Varint(1, d)));
        });
        var tensorType = Message(t => { t.Varint(1, 1); t.Bytes(2, shape); });
        return Message(v => { v.Text(1, name); v.Bytes(2, Message(type => type.Bytes(1, tensorType))); });
    }

    private static byte[] Message(Action<ProtoWriter> write)
    {
        var writer = new ProtoWriter();
        write(writer);
        return writer.ToArray();
    }

    /// <summary>The two protobuf wire types a model needs: varints (0) and length-delimited bytes (2).</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _out = new();

        public void Varint(int field, long value) { Raw((ulong)(field << 3)); Raw((ulong)value); }

        public void Bytes(int field, byte[] value) { Raw((ulong)(field << 3 | 2)); Raw((ulong)value.Length); _out.Write(value); }

        public void Text(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public byte[] ToArray() => _out.ToArray();

        private void Raw(ulong value)
        {
            for (; value >= 0x80; value >>= 7)
                _out.WriteByte((byte)(value | 0x80));
            _out.WriteByte((byte)value);
        }
    }
}
