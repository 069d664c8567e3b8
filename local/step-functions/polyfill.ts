// aws-local-stepfunctions calls Promise.withResolvers (Node 22+); Node 20 has none. Imported before
// the engine runs anything.
type Resolvers<T> = { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void };
const promise = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };

promise.withResolvers ??= <T>(): Resolvers<T> => {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const created = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: created, resolve, reject };
};
