using Grpc.Core;
using NewsSearch.Api.V1;
using NewsSearch.Repl.Commands;

namespace NewsSearch.Repl.Tests;

public class ReplSessionTests
{
    private const string Address = "http://127.0.0.1:5080";

    [Test]
    public void Describe_Unavailable_SaysHowToStartAService()
    {
        var e = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));
        Assert.That(ReplSession.Describe(e, Address), Is.EqualTo(
            "No search service answers at http://127.0.0.1:5080. Start one with: dotnet run --project src/NewsSearch.Server"));
    }

    [Test]
    public void Describe_InvalidArgument_ShowsTheServersMessage()
    {
        var e = new RpcException(new Status(StatusCode.InvalidArgument, "published_from (2025-08-01) is after published_to (2025-07-01)"));
        Assert.That(ReplSession.Describe(e, Address), Is.EqualTo("Invalid request: published_from (2025-08-01) is after published_to (2025-07-01)"));
    }

    [Test]
    public void SearchRequestsFor_Settings_BecomeTheRequestFields()
    {
        var settings = new ReplSettings(new DateOnly(2025, 7, 1), null, 25, ResultOrder.Newest);
        var request = SearchRequests.For("芯片", settings);
        Assert.That(request, Is.EqualTo(new SearchRequest
        {
            Query = "芯片", PublishedFrom = "2025-07-01", PublishedTo = "", PageSize = 25, Sort = SortOrder.NewestFirst,
        }));
    }
}

public class ReplOptionsTests
{
    [Test]
    public void Parse_NoArgumentsAndNoVariable_UsesTheDefaultAddress()
    {
        Assert.That(ReplOptions.Parse([], null).Options?.Address, Is.EqualTo("http://127.0.0.1:5080"));
    }

    [Test]
    public void Parse_AddressArgument_WinsOverTheVariable()
    {
        Assert.That(ReplOptions.Parse(["--address", "http://search:9000"], "http://other:1").Options?.Address,
            Is.EqualTo("http://search:9000"));
    }

    [Test]
    public void Parse_AddressWithoutScheme_AssumesHttp()
    {
        Assert.That(ReplOptions.Parse(["--address=localhost:5080"], null).Options?.Address, Is.EqualTo("http://localhost:5080"));
    }

    [Test]
    public void Parse_UnknownArgument_IsAnError()
    {
        Assert.That(ReplOptions.Parse(["--adress", "x"], null).Error, Does.StartWith("Unknown argument '--adress'"));
    }
}
