# English texts of the bot and its HTTP pages (Fluent syntax: https://projectfluent.org).
# Every key here must also be in ru.ftl with the same variables (test/i18n/locales.test.ts).
# Keys are kebab-case, prefixed by the feature. Texts are plain: callers escape them.

## Pages of the OAuth callback (src/http/callbackRoute.ts), shown in the browser after Spotify.

callback-completed-heading = Almost done
callback-completed-text = Return to Telegram and finish connecting Spotify in the chat with @{ $botUsername }.
callback-return-button = Return to Telegram
callback-denied-heading = Login cancelled
callback-denied-text = You cancelled the Spotify login. You can close this tab.
callback-unknown-state-heading = Unknown login link
callback-unknown-state-text = This login link is not valid. Send /login to the bot to get a new one.
callback-used-heading = Login link already used
callback-used-text = This login link has already been used. If connecting did not finish, send /login to the bot again.
callback-expired-heading = Login link expired
callback-expired-text = Login links are valid only for a short time. Send /login to the bot to get a new one.
callback-spotify-failed-heading = Spotify did not answer
callback-spotify-refused-heading = Spotify refused the login
callback-spotify-failed-retryable-text = Spotify is having trouble right now. Send /login to the bot again in a few minutes.
callback-spotify-failed-text = Spotify refused the login. Send /login to the bot again; if it keeps failing, contact the bot's operator.
callback-bad-request-heading = Broken login link
callback-bad-request-text = This address is incomplete or damaged. Send /login to the bot to get a new link.

## Generic pages of the built-in HTTP server (src/http/server.ts).

http-error-status = HTTP status { $status }
http-error-bad-request = Bad request
http-error-not-found = Page not found
http-error-method-not-allowed = Method not allowed
http-error-timeout = The request took too long
http-error-payload-too-large = The request is too large
http-error-uri-too-long = The address is too long
http-error-headers-too-large = The request headers are too large
http-error-internal = Something went wrong on our side
http-error-unavailable = The service is busy, try again later
