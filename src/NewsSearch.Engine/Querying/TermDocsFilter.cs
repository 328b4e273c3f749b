using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// The documents holding any of <c>terms</c> (article ids, cluster keys), or with <c>exclude</c> those holding none
/// of them: what Lucene's <c>TermsFilter</c> finds (and a <c>BooleanFilter</c> with it as a must-not clause), set in a
/// bit set rented for the search when a <see cref="RentedBits"/> is given. Lucene's filters allocate a new bit per
/// document on every search (125 KB at 1 M articles; two such sets for an exclusion).
/// </summary>
internal sealed class TermDocsFilter(IReadOnlyList<Term> terms, bool exclude, RentedBits? rented) : Filter
{
    private readonly Term[] _terms = terms.Distinct().OrderBy(t => t).ToArray();

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        var reader = context.AtomicReader;
        var maxDoc = reader.MaxDoc;
        FixedBitSet? bits = null;
        if (exclude)
        {
            bits = RentedBits.RentOrAllocate(rented, maxDoc);
            bits.Set(0, maxDoc);
        }
        string? field = null;
        TermsEnum? termsEnum = null;
        DocsEnum? docs = null;
        foreach (var term in _terms)
        {
            if (term.Field != field)
            {
                field = term.Field;
                termsEnum = reader.GetTerms(field)?.GetEnumerator();
            }
            if (termsEnum is null || !termsEnum.SeekExact(term.Bytes)) continue;
            // Excluded documents are cleared whether or not they are live; the live ones are applied below.
            docs = termsEnum.Docs(exclude ? null : acceptDocs, docs, DocsFlags.NONE);
            if (exclude)
            {
                for (var d = docs.NextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.NextDoc()) bits!.Clear(d);
            }
            else
            {
                bits ??= RentedBits.RentOrAllocate(rented, maxDoc);
                bits.Or(docs);
            }
        }
        return exclude ? BitsFilteredDocIdSet.Wrap(bits, acceptDocs) : bits;
    }

    public override string ToString() => (exclude ? "-" : "") + "[" + string.Join(" ", _terms.Select(t => t.ToString())) + "]";
}
