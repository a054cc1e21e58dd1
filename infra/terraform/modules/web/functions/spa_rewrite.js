// CloudFront Function (cloudfront-js-2.0), viewer request of the app's
// behaviour only: a path whose last segment has no file extension is one of
// the app's own routes (a deep link, a reload, /auth/callback), which S3
// holds no object for. It gets /index.html, and the app's router reads the
// address bar. Files (/assets/index-3f2a9c.js, /config.json) pass as they
// are. The API's paths never reach this: their behaviours come first.
function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
