// A DOM for unit tests of web/ modules under node (linkedom): document, Node
// and a location on a shop's page, as the widget and the dashboard see them.
import { parseHTML } from 'linkedom';

const { document, Node, Event } = parseHTML('<!doctype html><html><head></head><body></body></html>');
Object.assign(globalThis, { document, Node, location: new URL('https://shop.example/p/boots?ref=TESS10') });
// linkedom dispatches only its own events (not node's global Event).
export { document, Event };
