/**
 * English words that carry no topic: function words, auxiliaries, pronouns and the words questions
 * are built from ("when did", "what was"). A query's ranking leaves them out (its content words
 * decide), but a query made only of them still searches by them.
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any anything are aren't as at be because been before being " +
    "below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each " +
    "either else ever every few for from further get gets got had hadn't has hasn't have haven't having he her here " +
    "hers herself him himself his how however i if in into is isn't it it's its itself just let me might more most " +
    "much must my myself neither no nor not now of off on once one only or other ought our ours ourselves out over own " +
    "per please quite rather really same shall she should shouldn't so some somebody someone something such than that " +
    "that's the their theirs them themselves then there there's these they this those through thus to too under until " +
    "up upon us very was wasn't we were weren't what what's whatever when whenever where wherever whether which while " +
    "who whoever whom whose why will with within without won't would wouldn't yet you your yours yourself yourselves " +
    "s t d ll m re ve"
  ).split(" "),
);
