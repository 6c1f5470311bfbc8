import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskFileStore } from './file-store';

describe('DiskFileStore', () => {
  let root: string;
  let store: DiskFileStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'file-store-'));
    store = new DiskFileStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives back what was put, from root/<first two characters>/<key>', async () => {
    const data = Buffer.from('%PDF-1.7 Бюджет');
    await store.put('3f2a9c1e-budget', data);
    expect(await store.get('3f2a9c1e-budget')).toEqual(data);
    expect(await readFile(join(root, '3f', '3f2a9c1e-budget'))).toEqual(data);
    expect(await readdir(root)).toEqual(['3f']);
  });

  it('keeps a one-character key in a folder of its own name', async () => {
    await store.put('a', Buffer.from('x'));
    expect(await readFile(join(root, 'a', 'a'), 'utf8')).toBe('x');
  });

  it('stores empty and binary content byte for byte', async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await store.put('bin', binary);
    await store.put('empty', Buffer.alloc(0));
    expect(await store.get('bin')).toEqual(binary);
    expect(await store.get('empty')).toEqual(Buffer.alloc(0));
  });

  it('replaces the content of a key that is put again', async () => {
    await store.put('key1', Buffer.from('first'));
    await store.put('key1', Buffer.from('second'));
    expect((await store.get('key1')).toString()).toBe('second');
  });

  it('leaves no temp file behind', async () => {
    await store.put('abc', Buffer.from('one'));
    await store.put('abc', Buffer.from('two'));
    expect(await readdir(join(root, 'ab'))).toEqual(['abc']);
  });

  it('gives concurrent writers of one key their own temp files, and keeps one whole version', async () => {
    const versions = Array.from({ length: 10 }, (_, i) => Buffer.alloc(64 * 1024, i));
    await Promise.all(versions.map((v) => store.put('race', v)));
    const stored = await store.get('race');
    expect(versions.some((v) => v.equals(stored))).toBe(true);
    expect(await readdir(join(root, 'ra'))).toEqual(['race']);
  });

  it('cleans up its temp file when the rename fails', async () => {
    await mkdir(join(root, 'bl', 'blocked'), { recursive: true });
    await expect(store.put('blocked', Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(join(root, 'bl'))).toEqual(['blocked']);
  });

  it('creates its folders readable by the service alone', async () => {
    await store.put('private', Buffer.from('x'));
    expect((await stat(join(root, 'pr'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, 'pr', 'private'))).mode & 0o077).toBe(0);
  });

  it('creates the root itself when it does not exist yet', async () => {
    const nested = new DiskFileStore(join(root, 'not', 'yet'));
    await nested.put('k1', Buffer.from('x'));
    expect(await readFile(join(root, 'not', 'yet', 'k1', 'k1'), 'utf8')).toBe('x');
  });

  it.each(['../x', 'a/b', '', 'A', '..', '.', '-a', 'a.b', 'a\\b', 'ab\n', 'ab\u0000', 'Ab', 'a b', 'ä'])(
    'refuses the key %j without touching the disk',
    async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow('Invalid file key');
      await expect(store.get(key)).rejects.toThrow('Invalid file key');
      await expect(store.remove(key)).rejects.toThrow('Invalid file key');
      expect(await readdir(root)).toEqual([]);
    },
  );

  it('refuses a key that is not a string, from callers beyond the type checker', async () => {
    await expect(store.put(undefined as unknown as string, Buffer.from('x'))).rejects.toThrow('Invalid file key');
    expect(await readdir(root)).toEqual([]);
  });

  it('accepts a key of 128 characters and refuses one of 129', async () => {
    const key = `a${'0'.repeat(127)}`;
    await store.put(key, Buffer.from('x'));
    expect((await store.get(key)).toString()).toBe('x');
    await expect(store.put(`${key}0`, Buffer.from('x'))).rejects.toThrow('Invalid file key');
  });

  it('rejects a get of a key that is not there', async () => {
    await expect(store.get('missing')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('removes a key, after which it is gone', async () => {
    await store.put('gone', Buffer.from('x'));
    await store.remove('gone');
    await expect(store.get('gone')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(root, 'go'))).toEqual([]);
  });

  it('takes the removal of a missing key as done', async () => {
    await expect(store.remove('never-there')).resolves.toBeUndefined();
    await store.put('twice', Buffer.from('x'));
    await store.remove('twice');
    await expect(store.remove('twice')).resolves.toBeUndefined();
  });
});
