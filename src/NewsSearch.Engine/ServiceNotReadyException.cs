namespace NewsSearch.Engine;

/// <summary>The index is not open yet (the service is starting) or no longer (it is stopping): try again shortly.</summary>
public sealed class ServiceNotReadyException(string message) : Exception(message)
{
    public ServiceNotReadyException() : this("the index is not open yet; the service is starting or stopping, try again shortly") { }
}
