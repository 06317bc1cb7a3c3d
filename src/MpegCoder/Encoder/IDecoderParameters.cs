namespace MpegCoder;

/// <summary>
/// A decoding face whose stream parameters an encoder can copy (<c>SetParameter(decoder: ...)</c>): the
/// original's GetParameter() dictionary (codecName, bitRate, GOPSize, maxBframe, nthread, width, height,
/// widthDst, heightDst, frameRate as (num, den)). Implemented by <see cref="MpegClient"/>.
/// </summary>
internal interface IDecoderParameters
{
    IReadOnlyDictionary<string, object> GetParameter();
}
