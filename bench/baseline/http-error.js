'use strict';

/** An answer other than 2xx: its status and a short detail. */
class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

module.exports = { HttpError };
