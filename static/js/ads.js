// Asks the ad network to fill each of its slots on the page (its tag's usual inline
// snippet, here as a file because the Content-Security-Policy allows no inline script).
// Every network slot includes this file, so it may run several times on one page: a
// slot is asked for once (a second request for the same slot is an error to the network).
(function () {
  var slots = document.querySelectorAll("ins.adsbygoogle:not([data-ad-requested])");
  window.adsbygoogle = window.adsbygoogle || [];
  for (var i = 0; i < slots.length; i++) {
    slots[i].setAttribute("data-ad-requested", "");
    window.adsbygoogle.push({});
  }
})();
