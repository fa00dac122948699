import { allowedMethods, knownPaths } from '../../../apps/api/src/common/method-not-allowed';

describe('allowed methods of a known path', () => {
  const paths = knownPaths(
    {
      paths: {
        '/health': { get: {} },
        '/api/v1/loops/{id}': { get: {}, patch: {}, delete: {} },
        '/api/v1/loops/{id}/runs': { post: {} },
        '/api/v1/sources/{id}/batches/{batchId}': { get: {} },
      },
    } as never,
    { '/api/docs': ['GET'] },
  );

  it('lists the methods of the matching template, with HEAD wherever GET is', () => {
    expect(allowedMethods(paths, '/api/v1/loops/5b0c')).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect(allowedMethods(paths, '/api/v1/loops/5b0c/runs')).toEqual(['POST']);
    expect(allowedMethods(paths, '/api/v1/sources/a/batches/b')).toEqual(['GET', 'HEAD']);
  });

  it('matches the way Express routes: any case and an optional trailing slash', () => {
    expect(allowedMethods(paths, '/HEALTH/')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(paths, '/api/docs')).toEqual(['GET', 'HEAD']);
  });

  it('knows no path a template only resembles, so it stays a 404', () => {
    expect(allowedMethods(paths, '/health/extra')).toBeNull();
    expect(allowedMethods(paths, '/api/v1/loops')).toBeNull();
    expect(allowedMethods(paths, '/api/v1/loops/a/b/runs')).toBeNull();
    expect(allowedMethods(paths, '/healthy')).toBeNull();
  });
});
