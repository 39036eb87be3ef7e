// JSON mode never calls it; an XML call fails loudly instead of parsing wrongly.
const unused = () => {
  throw new Error('sparkxml is stubbed: use the open311 client with format json');
};
module.exports = { parseXml: unused, toJson: unused };
