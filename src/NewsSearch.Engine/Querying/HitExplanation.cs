namespace NewsSearch.Engine.Querying;

/// <summary>The field of an article a query concept matched in.</summary>
public enum ExplainField { Title, Body }

/// <summary>How a field was matched: SmartCn words (<c>title</c>, <c>body</c>) or character grams (<c>title_g</c>,
/// <c>body_g</c>: exact character sequences, names SmartCn splits, single characters).</summary>
public enum ExplainView { Words, Characters }

/// <summary>One query concept's contribution to a hit's score in one field and view.</summary>
/// <param name="Concept">The reader's word or phrase as the query builder took it (a pasted paragraph's word), or a
/// word feedback added.</param>
/// <param name="Score">Its part of the hit's score.</param>
/// <param name="Share">Score ÷ the hit's score, 0..1; the shares of a hit's parts sum to 1.</param>
public sealed record ExplainedPart(string Concept, ExplainField Field, ExplainView View, float Score, double Share);

/// <summary>Why a hit scored as it did: its matched parts, largest first. Empty for a search by filters alone.</summary>
/// <param name="Score">The sum of the parts' scores: the hit's score.</param>
public sealed record HitExplanation(float Score, IReadOnlyList<ExplainedPart> Parts);
