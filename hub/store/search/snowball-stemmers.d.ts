// Types of the `snowball-stemmers` package (it ships none): the factory of Snowball stemmers.
declare module 'snowball-stemmers' {
  /** One language's stemmer. */
  interface Stemmer {
    stem(word: string): string;
  }
  const snowball: {
    newStemmer(language: string): Stemmer;
    algorithms(): string[];
  };
  export default snowball;
}
