# Русские тексты бота и его HTTP-страниц (синтаксис Fluent: https://projectfluent.org).
# Каждый ключ должен быть и в en.ftl с теми же переменными (test/i18n/locales.test.ts).
# Ключи в kebab-case с префиксом функции. Тексты простые: экранирует вызывающий код.

## Страницы OAuth callback (src/http/callbackRoute.ts), которые браузер показывает после Spotify.

callback-completed-heading = Почти готово
callback-completed-text = Вернитесь в Telegram и завершите подключение Spotify в чате с @{ $botUsername }.
callback-return-button = Вернуться в Telegram
callback-denied-heading = Вход отменён
callback-denied-text = Вы отменили вход в Spotify. Эту вкладку можно закрыть.
callback-unknown-state-heading = Неизвестная ссылка для входа
callback-unknown-state-text = Эта ссылка для входа недействительна. Отправьте боту /login, чтобы получить новую.
callback-used-heading = Ссылка уже использована
callback-used-text = По этой ссылке уже выполнен вход. Если подключение не завершилось, отправьте боту /login ещё раз.
callback-expired-heading = Ссылка устарела
callback-expired-text = Ссылка для входа действует недолго. Отправьте боту /login, чтобы получить новую.
callback-spotify-failed-heading = Spotify не ответил
callback-spotify-refused-heading = Spotify отказал во входе
callback-spotify-failed-retryable-text = У Spotify сейчас неполадки. Отправьте боту /login ещё раз через несколько минут.
callback-spotify-failed-text = Spotify отклонил вход. Отправьте боту /login ещё раз; если ошибка повторится, напишите владельцу бота.
callback-bad-request-heading = Повреждённая ссылка для входа
callback-bad-request-text = Адрес неполный или повреждён. Отправьте боту /login, чтобы получить новую ссылку.

## Общие страницы встроенного HTTP-сервера (src/http/server.ts).

http-error-status = Код ответа HTTP { $status }
http-error-bad-request = Неверный запрос
http-error-not-found = Страница не найдена
http-error-method-not-allowed = Метод не поддерживается
http-error-timeout = Запрос выполнялся слишком долго
http-error-payload-too-large = Запрос слишком большой
http-error-uri-too-long = Адрес слишком длинный
http-error-headers-too-large = Заголовки запроса слишком большие
http-error-internal = Что-то пошло не так на нашей стороне
http-error-unavailable = Сервис занят, попробуйте позже
