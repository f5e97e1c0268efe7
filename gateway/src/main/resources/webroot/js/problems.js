// Problems of the API (RFC 9457) said in Korean and English, for toasts and forms.

/** Korean names of the fields, headers and parameters the API names in `errors`. */
const FIELD_KO = [
  [/^\/items\/(\d+)\/quantity$/, (m) => `메뉴 ${Number(m[1]) + 1}의 수량`],
  [/^\/items\/(\d+)\/menuId$/, (m) => `메뉴 ${Number(m[1]) + 1}`],
  [/^\/items\/(\d+)$/, (m) => `메뉴 ${Number(m[1]) + 1}`],
  [/^\/items$/, () => '메뉴 목록'],
  [/^\/storeId$/, () => '가게'],
  [/^\/deliveryAddress$/, () => '배달 주소'],
  [/^\/deliveryAddress\/text$/, () => '배달 주소'],
  [/^\/deliveryAddress\/lat$/, () => '배달 위치의 위도'],
  [/^\/deliveryAddress\/lng$/, () => '배달 위치의 경도'],
  [/^\/deliveryAddress\/phone$/, () => '연락처'],
  [/^\/express$/, () => '급송 여부'],
  [/^\/payment$/, () => '결제 정보'],
  [/^\/payment\/method$/, () => '결제 수단'],
  [/^\/payment\/cardNumber$/, () => '카드 번호'],
  [/^\/username$/, () => '아이디'],
  [/^\/password$/, () => '비밀번호'],
  [/^\/reason$/, () => '사유'],
  [/^\/open$/, () => '영업 여부'],
  [/^\/lat$/, () => '내 위치의 위도'],
  [/^\/lng$/, () => '내 위치의 경도'],
  [/^$/, () => '요청 내용'],
];
const NAMED_KO = {
  'header:Idempotency-Key': '주문 키(Idempotency-Key)',
  'header:Authorization': '로그인 정보',
  'parameter:lat': '위도',
  'parameter:lng': '경도',
  'parameter:status': '상태',
  'parameter:orderId': '주문 번호',
  'parameter:storeId': '가게',
};

/**
 * The Korean particle after `word`: josa('카드 번호', '은는') is '는'... as Korean writes it, by
 * whether the word's last syllable ends in a consonant; '은(는)' after anything that is not Hangul.
 */
export function josa(word, pair) {
  const [withFinal, withoutFinal] = [...pair];
  // what is read last: '주문 키(Idempotency-Key)' is read '키', '메뉴 1' is read '메뉴 일'
  const last = String(word)
    .trim()
    .replace(/\s*\([^)]*\)$/, '')
    .slice(-1);
  if (/[0-9]/.test(last)) return '0136780'.includes(last) ? withFinal : withoutFinal;
  const code = last.charCodeAt(0) - 0xac00;
  if (!(code >= 0 && code <= 11171)) return `${withFinal}(${withoutFinal})`;
  return code % 28 === 0 ? withoutFinal : withFinal;
}

/** Korean for the details of the API's vocabulary (docs/api.md lists it); `w` is what it is about. */
const DETAIL_KO = [
  [/^is required$/, (m, w) => `${w}${josa(w, '을를')} 입력해 주세요`],
  [/^is not valid JSON$/, (m, w) => `${w}${josa(w, '이가')} 올바른 JSON이 아닙니다`],
  [/^must not be empty$/, (m, w) => `${w}${josa(w, '이가')} 비어 있습니다`],
  [/^must not be blank$/, (m, w) => `${w}${josa(w, '이가')} 비어 있습니다`],
  [/^must be a string$/, (m, w) => `${w}${josa(w, '은는')} 문자여야 합니다`],
  [/^must be a number$/, (m, w) => `${w}${josa(w, '은는')} 숫자여야 합니다`],
  [/^must be an integer$/, (m, w) => `${w}${josa(w, '은는')} 정수여야 합니다`],
  [
    /^must be true or false$/,
    (m, w) => `${w}${josa(w, '은는')} 예 또는 아니오(true/false)여야 합니다`,
  ],
  [/^must be an object$/, (m, w) => `${w}의 형식이 올바르지 않습니다`],
  [/^must be an array$/, (m, w) => `${w}${josa(w, '은는')} 목록이어야 합니다`],
  [
    /^must be 16 digits that pass the Luhn check$/,
    (m, w) => `${w}${josa(w, '은는')} 올바른 16자리 숫자여야 합니다`,
  ],
  [/^must be a phone number$/, (m, w) => `${w}${josa(w, '이가')} 전화번호 형식이 아닙니다`],
  [
    /^must be between (\S+) and (\S+)$/,
    (m, w) => `${w}${josa(w, '은는')} ${m[1]}에서 ${m[2]} 사이여야 합니다`,
  ],
  [
    /^must be at least (\S+) characters long$/,
    (m, w) => `${w}${josa(w, '은는')} ${m[1]}자 이상이어야 합니다`,
  ],
  [
    /^must be at most (\S+) characters long$/,
    (m, w) => `${w}${josa(w, '은는')} ${m[1]}자 이하여야 합니다`,
  ],
  [/^must be at least (\S+)$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} 이상이어야 합니다`],
  [/^must be at most (\S+) KiB$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} KiB 이하여야 합니다`],
  [/^must be at most (\S+)$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} 이하여야 합니다`],
  [
    /^must have at least (\S+) entries$/,
    (m, w) => `${w}${josa(w, '은는')} ${m[1]}개 이상이어야 합니다`,
  ],
  [
    /^must have at most (\S+) entries$/,
    (m, w) => `${w}${josa(w, '은는')} ${m[1]}개 이하여야 합니다`,
  ],
  [/^must be one of: (.*)$/, (m, w) => `${w}${josa(w, '은는')} 다음 중 하나여야 합니다: ${m[1]}`],
  [/^is not a store$/, (m, w) => `${w}${josa(w, '이가')} 없는 가게입니다`],
  [/^is closed$/, (m, w) => `${w}${josa(w, '이가')} 지금 영업하지 않습니다`],
  [/^is not a menu item$/, (m, w) => `${w}${josa(w, '은는')} 없는 메뉴입니다`],
  [/^is not sold by this store$/, (m, w) => `${w}${josa(w, '은는')} 이 가게의 메뉴가 아닙니다`],
  [
    /^was already used for a different order$/,
    (m, w) => `${w}${josa(w, '이가')} 이미 다른 주문에 쓰였습니다`,
  ],
  [/^must not contain control characters$/, (m, w) => `${w}에 제어 문자를 쓸 수 없습니다`],
];

/** Korean for the problems users meet most, by their detail (else by status, below). */
const PROBLEM_KO = [
  [/wrong username or password/, () => '아이디 또는 비밀번호가 틀렸습니다'],
  [/^payment declined/, () => '카드 결제가 거절되었습니다'],
  [/payment is busy/, () => '결제가 지연되고 있습니다. 잠시 후 다시 시도해 주세요'],
  [/we are busy/, () => '주문이 많아 바쁩니다. 잠시 후 다시 시도해 주세요'],
  [/too many failed logins/i, () => '로그인 실패가 너무 많습니다. 잠시 후 다시 시도해 주세요'],
  [/is closed and takes no orders now/, () => '가게가 지금 영업하지 않아 주문할 수 없습니다'],
  [/can no longer be cancelled/, () => '조리가 시작되어 취소할 수 없습니다'],
  [/can no longer be changed/, () => '조리가 시작되어 변경할 수 없습니다'],
  [
    /still being decided/,
    () => '앞선 변경을 가게에서 확인하고 있습니다. 잠시 후 다시 시도해 주세요',
  ],
  [/claimed delivery .* first/, () => '다른 라이더가 먼저 배차를 받았습니다'],
  [
    /an express delivery needs a rider whose whole trip takes at most (\d+) minutes; yours takes (\d+)/,
    (m) => `급송은 전체 이동이 ${m[1]}분 이내인 라이더만 받을 수 있어요 (지금 ${m[2]}분)`,
  ],
  [
    /this delivery is for riders within (\S+) km of the store; you are (\S+) km away/,
    (m) => `가게에서 ${m[1]}km 이내 라이더만 받을 수 있어요 (지금 ${m[2]}km)`,
  ],
  [/is still cooking/, () => '아직 조리 중이라 픽업할 수 없습니다'],
  [/did not answer in time/, () => '서버 응답이 늦습니다. 잠시 후 다시 시도해 주세요'],
];

/** Korean messages by status, for problems without `errors`. */
const STATUS_KO = {
  401: '로그인이 필요합니다',
  402: '결제가 거절되었습니다',
  403: '권한이 없습니다',
  404: '찾을 수 없습니다',
  409: '지금 상태에서는 할 수 없습니다',
  422: '처리할 수 없는 요청입니다',
  429: '시도가 너무 많습니다. 잠시 후 다시 시도해 주세요',
  503: '지금 바쁩니다. 잠시 후 다시 시도해 주세요',
};

function whereOf(entry) {
  if (typeof entry?.pointer === 'string') return { kind: 'pointer', name: entry.pointer };
  if (typeof entry?.header === 'string') return { kind: 'header', name: entry.header };
  if (typeof entry?.parameter === 'string') return { kind: 'parameter', name: entry.parameter };
  return null;
}

/** "items[0].quantity" for a pointer, "the Idempotency-Key header", "the parameter lat". */
function whereEn(w) {
  if (w.kind === 'header') return `the ${w.name} header`;
  if (w.kind === 'parameter') return `the parameter ${w.name}`;
  if (w.name === '') return 'the request body';
  return w.name
    .slice(1)
    .split('/')
    .reduce((out, seg) => (/^\d+$/.test(seg) ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}

function whereKo(w) {
  const named = NAMED_KO[`${w.kind}:${w.name}`];
  if (named) return named;
  if (w.kind === 'pointer') {
    for (const [re, f] of FIELD_KO) {
      const m = w.name.match(re);
      if (m) return f(m);
    }
  }
  return whereEn(w);
}

/** One entry of `errors` as {ko, en, where}. */
export function violationMessage(entry) {
  const w = whereOf(entry) ?? { kind: 'pointer', name: '' };
  const detail = String(entry?.detail ?? '');
  let ko = null;
  const subject = whereKo(w);
  for (const [re, f] of DETAIL_KO) {
    const m = detail.match(re);
    if (m) {
      ko = f(m, subject);
      break;
    }
  }
  return { ko: ko ?? `${subject}: ${detail}`, en: `${whereEn(w)} ${detail}`, where: w };
}

/** A problem in Korean and English: [{ko, en, where}]. */
export function problemMessages(status, problem) {
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  if (errors.length) return errors.map(violationMessage);
  const en = problem?.detail || problem?.title || `HTTP ${status}`;
  for (const [re, f] of PROBLEM_KO) {
    const m = String(en).match(re);
    if (m) return [{ ko: f(m), en, where: null }];
  }
  return [{ ko: STATUS_KO[status] ?? '요청을 처리하지 못했습니다', en, where: null }];
}
