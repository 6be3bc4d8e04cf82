// Beseda webhook media type for Zabbix 6.0 and later (the body of the media type's script).
// Zabbix runs it in Duktape as `function (value) { ... }`, so it is ES5: var, no arrows, no
// template strings. `value` is the JSON of the media type's parameters, macros already resolved.
// It posts one Slack-compatible message to a Beseda incoming webhook (POST /hooks/<secret>)
// for a problem, its recovery and every update, and throws (so Zabbix marks the alert failed
// and retries it per the media type's attempts) when the hub does not answer 2xx.
// Kept identical to the `script` of media_beseda.yaml; a test fails if they differ.

var SEVERITY_COLORS = ['#97AAB3', '#7499FF', '#FFC859', '#FFA059', '#E97659', '#E45959'];
var RESOLVED_COLOR = '#009900';
var MAX_MESSAGE = 4000;

var WORDS = {
    ru: {
        problem: 'Проблема',
        resolved: 'Решено',
        updated: 'Обновлено',
        event: 'Событие',
        host: 'Узел',
        severity: 'Важность',
        opdata: 'Данные',
        duration: 'Длительность'
    },
    en: {
        problem: 'Problem',
        resolved: 'Resolved',
        updated: 'Updated',
        event: 'Event',
        host: 'Host',
        severity: 'Severity',
        opdata: 'Operational data',
        duration: 'Duration'
    }
};

// A macro Zabbix could not resolve stays in the text as written ({TRIGGER.ID}, {$ZABBIX.URL})
// or becomes *UNKNOWN*: both mean "no value" here.
function given(text) {
    if (typeof text !== 'string') return '';
    var t = text.trim();
    if (t === '*UNKNOWN*' || /^\{[$#A-Z0-9_.:"]+\}$/.test(t)) return '';
    return t;
}

// Slack markup escapes: a host or problem name is shown as written, never read as
// <!channel> (a mention of everyone) or <url|label>; Beseda undoes exactly these three.
function escapeMarkup(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shorten(text, max) {
    return text.length > max ? text.substring(0, max - 1) + '…' : text;
}

// The hook's address without its secret: the secret must not reach Zabbix's log or alert list.
function redact(url) {
    return url.replace(/(\/hooks\/[^\/?#]{4})[^\/?#]*/, '$1…');
}

function kindOf(params) {
    if (params.event_value === '0') return 'resolved';
    if (params.event_update_status === '1') return 'updated';
    return 'problem';
}

// Where "Open in Zabbix" leads: the event's page for trigger events, else the frontend.
function eventLink(params) {
    var base = given(params.zabbix_url).replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s]+$/.test(base)) return '';
    var trigger = given(params.trigger_id);
    var event = given(params.event_id);
    if (params.event_source === '0' && /^\d+$/.test(trigger) && /^\d+$/.test(event)) {
        return base + '/tr_events.php?triggerid=' + trigger + '&eventid=' + event;
    }
    return base;
}

function buildPayload(params) {
    var words = WORDS[given(params.lang).toLowerCase()] || WORDS.ru;
    var kind = kindOf(params);
    var severity = given(params.event_severity);
    var host = given(params.host_name);
    var name = given(params.event_name) || given(params.alert_subject);
    var nseverity = parseInt(given(params.event_nseverity), 10);
    var color = kind === 'resolved' ? RESOLVED_COLOR : SEVERITY_COLORS[nseverity] || SEVERITY_COLORS[0];

    var head = [words[kind]];
    if (severity !== '') head.push(severity);
    if (host !== '') head.push(host);
    var text = escapeMarkup(head.join(' · ') + (name !== '' ? ': ' + name : ''));

    var fields = [];
    function field(title, value, isShort) {
        if (value !== '') fields.push({ title: title, value: escapeMarkup(value), short: isShort });
    }
    field(words.host, host, true);
    field(words.severity, severity, true);
    if (kind === 'resolved') field(words.duration, given(params.event_duration), true);
    field(words.event, given(params.event_id), true);
    field(words.opdata, given(params.event_opdata), false);

    var attachment = {
        fallback: text,
        color: color,
        title: escapeMarkup(given(params.alert_subject) || name),
        text: escapeMarkup(shorten(given(params.alert_message), MAX_MESSAGE)),
        fields: fields,
        footer: 'Zabbix'
    };
    var link = eventLink(params);
    if (link !== '') attachment.title_link = link;

    var payload = { text: text, attachments: [attachment] };
    var username = given(params.username);
    if (username !== '') payload.username = username;
    return payload;
}

// The first value of a response header, whatever case the server wrote its name in.
function header(request, name) {
    var headers = request.getHeaders() || {};
    for (var key in headers) {
        if (headers.hasOwnProperty(key) && key.toLowerCase() === name) {
            var v = headers[key];
            return String(typeof v === 'object' && v !== null ? v[0] : v);
        }
    }
    return '';
}

// The hub's reason: plain text on /hooks as Slack answers (the error word, then the hub's words on
// a second line: joined into one line for Zabbix's action log), or {"error": {"message"}} JSON.
function reasonOf(body) {
    var text = typeof body === 'string' ? body.trim() : '';
    try {
        var parsed = JSON.parse(text);
        if (parsed && parsed.error) return String(parsed.error.message || parsed.error.code || parsed.error);
        // eslint-disable-next-line @typescript-eslint/no-unused-vars -- ES5 has no catch without a binding
    } catch (_notJson) {
        // not JSON: the plain-text reason itself
    }
    return shorten(text.split(/\s*[\r\n]+\s*/).join(': '), 500) || '(empty answer)';
}

function send(params) {
    var url = given(params.hook_url);
    if (!/^https?:\/\/[^\s]+\/hooks\/[^\s\/]+$/.test(url)) {
        var shown = url === '' ? 'empty' : '"' + redact(url) + '"';
        throw (
            'the Beseda hook address is missing or malformed (' +
            shown +
            '): put its http(s)://<hub>/hooks/<secret> address in the user\'s media "Send to"'
        );
    }
    var request = new HttpRequest();
    var proxy = given(params.http_proxy);
    if (proxy !== '') request.setProxy(proxy);
    request.addHeader('Content-Type: application/json; charset=utf-8');

    var body = JSON.stringify(buildPayload(params));
    Zabbix.log(4, '[Beseda webhook] POST ' + redact(url) + ' ' + body);
    var answer;
    try {
        answer = request.post(url, body);
    } catch (error) {
        throw 'cannot reach Beseda at ' + redact(url) + ': ' + error;
    }
    var status = request.getStatus();
    Zabbix.log(4, '[Beseda webhook] answer ' + status + ': ' + answer);
    if (status >= 200 && status < 300) return;
    if (status === 429 || status === 503) {
        var wait = header(request, 'retry-after');
        var after = wait !== '' ? ', Retry-After: ' + wait + ' s' : '';
        var retry = "; Zabbix sends it again per the media type's attempts";
        throw 'Beseda asks to wait (HTTP ' + status + after + '): ' + reasonOf(answer) + retry;
    }
    throw 'Beseda refused the alert (HTTP ' + status + '): ' + reasonOf(answer);
}

try {
    send(JSON.parse(value));
    return 'OK';
} catch (error) {
    Zabbix.log(3, '[Beseda webhook] notification failed: ' + error);
    throw 'Beseda notification failed: ' + error;
}
