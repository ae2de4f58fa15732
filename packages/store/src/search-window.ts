/** How many of the newest matches of a query are ranked by relevance (see the adapters' search). */
export const searchWindow = 2000;
