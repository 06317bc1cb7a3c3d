using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests;

/// <summary>
/// The "runs alone" collection of this assembly: xunit reads a collection's definition only from the
/// test's own assembly, so the one in MpegCoder.Tests does not apply here. Its tests count the process's
/// open files and connections, which other tests running at the same time would change.
/// </summary>
[CollectionDefinition(AloneCollection.Name, DisableParallelization = true)]
public sealed class AloneCollectionDefinition
{
}
