import { describe, it, expect } from 'vitest';
import {
  findList,
  findListField,
  findResponseItems,
  flattenRow,
  columnsOf,
  renderRows,
  renderTable,
  renderCsv,
  renderNdjson,
  csvField,
} from '../../src/output/formats.js';
import { parseJson, JsonNumber } from '../../src/core/json.js';
import { chatListData } from '../helpers/fixtures.js';

const chatData = chatListData();

describe('worked examples of the formats', () => {
  it('table: padded cells including the last one', () => {
    expect(renderTable(chatData)).toBe(
      'chat_id  name     \n' + '───────  ─────────\n' + 'oc_1     Alpha    \n' + 'oc_2     Beta Team\n',
    );
  });

  it('csv', () => {
    expect(renderCsv(chatData)).toBe('chat_id,name\noc_1,Alpha\noc_2,Beta Team\n');
  });

  it('ndjson', () => {
    expect(renderNdjson(chatData)).toBe('{"chat_id":"oc_1","name":"Alpha"}\n{"chat_id":"oc_2","name":"Beta Team"}\n');
  });

  it('empty list: (empty) for table and csv, nothing for ndjson', () => {
    const d = { chats: [], has_more: false, page_token: '', total: 0 };
    expect(renderTable(d)).toBe('(empty)\n');
    expect(renderCsv(d)).toBe('(empty)\n');
    expect(renderNdjson(d)).toBe('');
    expect(renderTable([], { emptyText: '(no data)' })).toBe('(no data)\n');
  });

  it('chats: null is not a list → key/value form', () => {
    const d = { chats: null, has_more: false, page_token: '', total: 0 };
    expect(renderTable(d)).toBe('chats       \n' + 'has_more    false\n' + 'page_token  \n' + 'total       0\n');
    expect(renderCsv(d)).toBe('key,value\nchats,\nhas_more,false\npage_token,\ntotal,0\n');
    expect(renderNdjson(d)).toBe('{"chats":null,"has_more":false,"page_token":"","total":0}\n');
  });

  it('flattening example', () => {
    const el = parseJson('{"a":1,"b":{"c":"x","d":{"e":{"f":1}}},"tags":["p","q"]}');
    const row = flattenRow(el);
    expect([...row.keys()]).toEqual(['a', 'b.c', 'b.d.e', 'tags']);
    expect([...row.values()]).toEqual(['1', 'x', '{"f":1}', '["p","q"]']);
    expect(renderTable([el])).toBe(
      'a  b.c  b.d.e    tags     \n' + '─  ───  ───────  ─────────\n' + '1  x    {"f":1}  ["p","q"]\n',
    );
  });
});

describe('formats of generic-command responses', () => {
  const response = {
    code: 0,
    msg: 'success',
    data: {
      has_more: false,
      items: [
        { member_id: 'ou_a1', member_id_type: 'open_id', name: 'Alice', tenant_key: 'tk1' },
        { member_id: 'ou_b2', member_id_type: 'open_id', name: 'Bob', tenant_key: 'tk1' },
      ],
    },
  };
  it('table', () => {
    const dot = (s: string) => s.replace(/·/g, ' ');
    expect(renderTable(response)).toBe(
      dot(
        'member_id··member_id_type··name···tenant_key\n' +
          '─────────··──────────────··─────··──────────\n' +
          'ou_a1······open_id·········Alice··tk1·······\n' +
          'ou_b2······open_id·········Bob····tk1·······\n',
      ),
    );
  });
  it('ndjson', () => {
    expect(renderNdjson(response)).toBe(
      '{"member_id":"ou_a1","member_id_type":"open_id","name":"Alice","tenant_key":"tk1"}\n' +
        '{"member_id":"ou_b2","member_id_type":"open_id","name":"Bob","tenant_key":"tk1"}\n',
    );
  });
  it('no list → whole response', () => {
    const r = { code: 0, msg: 'ok', data: { chat_id: 'oc_1' } };
    expect(renderNdjson(r)).toBe('{"code":0,"data":{"chat_id":"oc_1"},"msg":"ok"}\n');
    expect(renderTable(r)).toBe('code          0\ndata.chat_id  oc_1\nmsg           ok\n');
    expect(findResponseItems(r)).toBeUndefined();
  });
});

describe('finding the list', () => {
  it('known names in priority order, then alphabetical', () => {
    expect(findListField({ zeta: [], items: [1], files: [2] })).toBe('items');
    expect(findListField({ members: [], files: [] })).toBe('files');
    expect(findListField({ zeta: [1], alpha: [2], x: null })).toBe('alpha');
    expect(findListField({ items: null, b: 'x' })).toBeUndefined();
  });
  it('data first, then the value itself', () => {
    expect(findList({ data: { items: [1] }, other: [2] })).toEqual([1]);
    expect(findList({ data: { x: 1 }, other: [2] })).toEqual([2]);
    expect(findList({ data: [3] })).toEqual([3]);
    expect(findList([4])).toEqual([4]);
    expect(findList('x')).toBeUndefined();
    expect(findResponseItems({ code: 0, data: { items: [1], page_token: 'x' } })).toEqual([1]);
  });
});

describe('flattening and cells', () => {
  it('numbers, booleans, null, JsonNumber, non-object elements', () => {
    const row = flattenRow({ i: 3, f: 0.5, big: 1234567.5, t: true, n: null, j: new JsonNumber('12345678901234567890') });
    expect(Object.fromEntries(row)).toEqual({
      big: '1.2345675e+06',
      f: '0.5',
      i: '3',
      j: '12345678901234567890',
      n: '',
      t: 'true',
    });
    expect(Object.fromEntries(flattenRow('str'))).toEqual({ value: 'str' });
    expect(Object.fromEntries(flattenRow(7))).toEqual({ value: '7' });
    expect(Object.fromEntries(flattenRow(['a']))).toEqual({ value: '["a"]' });
  });
  it('cells are sanitized', () => {
    expect(flattenRow({ a: 'x\x1b[31my\u202E' }).get('a')).toBe('xy');
  });
  it('columns: union in first-appearance order, missing cells empty', () => {
    const rows = [{ b: 1, a: 2 }, { c: 3, a: 4 }].map(flattenRow);
    expect(columnsOf(rows)).toEqual(['a', 'b', 'c']);
    expect(renderRows(rows, columnsOf(rows))).toBe('a  b  c\n─  ─  ─\n2  1   \n4     3\n');
    expect(renderRows(rows, ['a', 'b'], { header: false })).toBe('2  1\n4   \n');
  });
  it('fixed columns for later pages', () => {
    expect(renderTable([{ a: 'x', extra: 'y' }], { columns: ['a'], header: false })).toBe('x\n');
    expect(renderCsv([{ a: 'x', extra: 'y' }], { columns: ['a'], header: false })).toBe('x\n');
  });
});

describe('table widths', () => {
  it('CJK counts 2', () => {
    expect(renderTable([{ name: '中文' }, { name: 'ab' }])).toBe('name\n────\n中文\nab  \n');
  });
  it('cap at 100 with … cut', () => {
    const long = 'x'.repeat(150);
    const out = renderTable([{ a: long, b: 'y' }]);
    const lines = out.split('\n');
    expect(lines[0]).toBe('a'.padEnd(100) + '  b');
    expect(lines[1]).toBe('─'.repeat(100) + '  ─');
    expect(lines[2]).toBe('x'.repeat(100) + '…  y');
  });
  it('cap at 100 with CJK', () => {
    const out = renderTable([{ a: '中'.repeat(60) }]);
    expect(out.split('\n')[2]).toBe('中'.repeat(50) + '…');
  });
  it('key/value values cut at 100', () => {
    expect(renderTable({ k: 'y'.repeat(101) })).toBe('k  ' + 'y'.repeat(100) + '…\n');
  });
  it('non-list non-object → indented JSON', () => {
    expect(renderTable('hello')).toBe('"hello"\n');
    expect(renderCsv(42)).toBe('42\n');
  });
});

describe('csv quoting', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    [' lead', '" lead"'],
    ['\tlead', '"\tlead"'],
    ['\u3000lead', '"\u3000lead"'],
    ['trail ', 'trail '],
    ['\\.', '"\\."'],
    ['\\.x', '\\.x'],
  ])('%j → %j', (input, want) => {
    expect(csvField(input)).toBe(want);
  });
  it('rows with quoted fields', () => {
    expect(renderCsv([{ a: 'x,y', b: '' }, { a: 'q"', b: ' s' }])).toBe('a,b\n"x,y",\n"q""",\" s"\n');
  });
});
